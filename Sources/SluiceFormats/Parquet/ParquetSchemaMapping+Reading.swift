import Sluice

extension ParquetSchemaMapping {
    /// The Sluice type a Parquet leaf is read as by default, or `nil` when Sluice has none for it.
    static func sluiceType(for leaf: ParquetSchemaElement) -> ColumnType? {
        if let (precision, scale) = decimal(of: leaf) {
            guard (1...ColumnType.maximumDecimalPrecision).contains(precision), (0...precision).contains(scale) else {
                return nil
            }
            return .decimal(precision: precision, scale: scale)
        }
        switch leaf.type {
        case .boolean: return .bool
        case .int32: return isDate(leaf) ? .date : .int64
        case .int64: return timestampUnit(of: leaf) != nil ? .timestamp : .int64
        case .int96: return .timestamp
        case .float, .double: return .double
        case .byteArray:
            if leaf.logicalType == .json || leaf.convertedType == ParquetConvertedType.json { return .json }
            if isText(leaf) { return .string }
            return .bytes
        case .fixedLenByteArray: return .bytes
        case nil: return nil
        }
    }

    /// The (precision, scale) of a decimal leaf.
    static func decimal(of leaf: ParquetSchemaElement) -> (precision: Int, scale: Int)? {
        if case .decimal(let scale, let precision) = leaf.logicalType { return (Int(precision), Int(scale)) }
        if leaf.convertedType == ParquetConvertedType.decimal {
            return (Int(leaf.precision ?? 0), Int(leaf.scale ?? 0))
        }
        return nil
    }

    static func isDate(_ leaf: ParquetSchemaElement) -> Bool {
        leaf.logicalType == .date || leaf.convertedType == ParquetConvertedType.date
    }

    static func isText(_ leaf: ParquetSchemaElement) -> Bool {
        leaf.logicalType == .string || leaf.logicalType == .enumeration
            || leaf.convertedType == ParquetConvertedType.utf8 || leaf.convertedType == ParquetConvertedType.enumeration
    }

    /// Microseconds per unit of an INT64 timestamp leaf (negative: nanoseconds, divide by 1000).
    static func timestampUnit(of leaf: ParquetSchemaElement) -> ParquetLogicalType.TimeUnit? {
        if case .timestamp(_, let unit) = leaf.logicalType { return unit }
        if leaf.convertedType == ParquetConvertedType.timestampMillis { return .millis }
        if leaf.convertedType == ParquetConvertedType.timestampMicros { return .micros }
        return nil
    }

    /// How the leaf is described in errors: `INT64 (timestamp)`.
    static func describe(_ leaf: ParquetSchemaElement) -> String {
        let physical: String
        switch leaf.type {
        case .boolean: physical = "BOOLEAN"
        case .int32: physical = "INT32"
        case .int64: physical = "INT64"
        case .int96: physical = "INT96"
        case .float: physical = "FLOAT"
        case .double: physical = "DOUBLE"
        case .byteArray: physical = "BYTE_ARRAY"
        case .fixedLenByteArray: physical = "FIXED_LEN_BYTE_ARRAY(\(leaf.typeLength ?? 0))"
        case nil: physical = "untyped"
        }
        return sluiceType(for: leaf).map { "\(physical) (\($0.name))" } ?? physical
    }
}
