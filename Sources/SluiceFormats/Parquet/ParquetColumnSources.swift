import Sluice

/// Builds the decoder of one column chunk for the Sluice type it is read as.
enum ParquetColumnSources {
    /// A source reading `chunk` (the compressed column chunk) of `leaf` as `type`, or `nil` when the leaf's
    /// type cannot be read as `type`.
    static func make(
        chunk: [UInt8],
        metadata: ParquetColumnMetadata,
        leaf: ParquetSchemaElement,
        rows: Int64,
        as type: ColumnType
    ) throws(ParquetFailure) -> ParquetColumnSource? {
        func source<T: Sendable>(
            _ plan: ParquetValuePlan<T>?,
            _ placeholder: T,
            _ wrap: @escaping (ColumnVector<T>) -> ColumnValues
        ) throws(ParquetFailure) -> ParquetColumnSource? {
            guard let plan else { return nil }
            let decoder = try ParquetChunkDecoder(
                chunk: chunk,
                codec: metadata.codec,
                isOptional: leaf.repetition == 1,
                rows: rows,
                plan: plan,
                placeholder: placeholder,
                wrap: wrap
            )
            return ParquetColumnSource(decoder)
        }
        switch type {
        case .bool: return try source(boolPlan(leaf), false) { .bool($0) }
        case .int64: return try source(integerPlan(leaf), 0) { .int64($0) }
        case .double: return try source(doublePlan(leaf), 0) { .double($0) }
        case .decimal(let precision, let scale):
            return try source(decimalPlan(leaf, precision: precision, scale: scale), 0) { .decimal($0, scale: scale) }
        case .string: return try source(textPlan(leaf), "") { .string($0) }
        case .json: return try source(textPlan(leaf), "") { .json($0) }
        case .bytes: return try source(bytesPlan(leaf), []) { .bytes($0) }
        case .date: return try source(datePlan(leaf), 0) { .date($0) }
        case .timestamp: return try source(timestampPlan(leaf), 0) { .timestamp($0) }
        }
    }

    private static func isPlainInteger(_ leaf: ParquetSchemaElement) -> Bool {
        ParquetSchemaMapping.decimal(of: leaf) == nil && !ParquetSchemaMapping.isDate(leaf)
            && ParquetSchemaMapping.timestampUnit(of: leaf) == nil
    }

    private static func boolPlan(_ leaf: ParquetSchemaElement) -> ParquetValuePlan<Bool>? {
        guard leaf.type == .boolean else { return nil }
        return ParquetValuePlan(plain: ParquetPlain.booleans(), fromBit: { $0 })
    }

    private static func integerPlan(_ leaf: ParquetSchemaElement) -> ParquetValuePlan<Int64>? {
        guard isPlainInteger(leaf) else { return nil }
        switch leaf.type {
        case .int32: return ParquetValuePlan(plain: ParquetPlain.fixed(Int32.self) { Int64($0) })
        case .int64: return ParquetValuePlan(plain: ParquetPlain.fixed(Int64.self) { $0 })
        default: return nil
        }
    }

    private static func doublePlan(_ leaf: ParquetSchemaElement) -> ParquetValuePlan<Double>? {
        switch leaf.type {
        case .double: return ParquetValuePlan(plain: ParquetPlain.fixed(UInt64.self) { Double(bitPattern: $0) })
        case .float:
            return ParquetValuePlan(plain: ParquetPlain.fixed(UInt32.self) { Double(Float(bitPattern: $0)) })
        case .int32 where isPlainInteger(leaf):
            return ParquetValuePlan(plain: ParquetPlain.fixed(Int32.self) { Double($0) })
        case .int64 where isPlainInteger(leaf):
            return ParquetValuePlan(plain: ParquetPlain.fixed(Int64.self) { Double($0) })
        default: return nil
        }
    }

    private static func decimalPlan(
        _ leaf: ParquetSchemaElement,
        precision: Int,
        scale: Int
    ) -> ParquetValuePlan<Int128>? {
        let fileScale: Int
        if let decimal = ParquetSchemaMapping.decimal(of: leaf) {
            fileScale = decimal.scale
        } else if isPlainInteger(leaf) && (leaf.type == .int32 || leaf.type == .int64) {
            fileScale = 0
        } else {
            return nil
        }
        guard (0...scale).contains(fileScale) else { return nil }
        let factor = Int128.decimalPower(scale - fileScale)
        let bound = Int128.decimalPower(precision)
        let convert = { (value: Int128) throws(ParquetFailure) -> Int128 in
            let (scaled, overflow) = value.multipliedReportingOverflow(by: factor)
            guard !overflow, scaled < bound, scaled > -bound else {
                throw ParquetFailure("a value does not fit decimal(\(precision),\(scale))")
            }
            return scaled
        }
        switch leaf.type {
        case .int32:
            return ParquetValuePlan(
                plain: ParquetPlain.fixed(Int32.self) { v throws(ParquetFailure) in try convert(Int128(v)) }
            )
        case .int64:
            return ParquetValuePlan(
                plain: ParquetPlain.fixed(Int64.self) { v throws(ParquetFailure) in try convert(Int128(v)) }
            )
        case .fixedLenByteArray:
            return ParquetValuePlan(
                plain: ParquetPlain.fixedLengthArrays(width: Int(leaf.typeLength ?? 0)) {
                    bytes throws(ParquetFailure) in
                    try convert(try ParquetPlain.bigEndianInteger(bytes))
                }
            )
        case .byteArray:
            return ParquetValuePlan(
                plain: ParquetPlain.byteArrays { bytes throws(ParquetFailure) in
                    try convert(try ParquetPlain.bigEndianInteger(bytes))
                }
            )
        default: return nil
        }
    }

    private static func textPlan(_ leaf: ParquetSchemaElement) -> ParquetValuePlan<String>? {
        guard leaf.type == .byteArray else { return nil }
        return ParquetValuePlan(
            plain: ParquetPlain.byteArrays { bytes throws(ParquetFailure) in
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw ParquetFailure("a value is not valid UTF-8")
                }
                return text
            }
        )
    }

    private static func bytesPlan(_ leaf: ParquetSchemaElement) -> ParquetValuePlan<[UInt8]>? {
        switch leaf.type {
        case .byteArray: return ParquetValuePlan(plain: ParquetPlain.byteArrays { Array($0) })
        case .fixedLenByteArray:
            return ParquetValuePlan(
                plain: ParquetPlain.fixedLengthArrays(width: Int(leaf.typeLength ?? 0)) { Array($0) }
            )
        default: return nil
        }
    }

    private static func datePlan(_ leaf: ParquetSchemaElement) -> ParquetValuePlan<Int32>? {
        guard leaf.type == .int32, ParquetSchemaMapping.isDate(leaf) else { return nil }
        return ParquetValuePlan(plain: ParquetPlain.fixed(Int32.self) { $0 })
    }

    private static func timestampPlan(_ leaf: ParquetSchemaElement) -> ParquetValuePlan<Int64>? {
        if leaf.type == .int96 { return ParquetValuePlan(plain: ParquetPlain.int96Timestamps()) }
        guard leaf.type == .int64, let unit = ParquetSchemaMapping.timestampUnit(of: leaf) else { return nil }
        switch unit {
        case .micros: return ParquetValuePlan(plain: ParquetPlain.fixed(Int64.self) { $0 })
        case .millis:
            return ParquetValuePlan(
                plain: ParquetPlain.fixed(Int64.self) { value throws(ParquetFailure) in
                    let (micros, overflow) = value.multipliedReportingOverflow(by: 1000)
                    guard !overflow else { throw ParquetFailure("a timestamp is out of range") }
                    return micros
                }
            )
        case .nanos:
            return ParquetValuePlan(plain: ParquetPlain.fixed(Int64.self) { $0 >= 0 ? $0 / 1000 : ($0 - 999) / 1000 })
        }
    }
}

extension ParquetValuePlan {
    init(plain: @escaping ParquetPlainDecoder<T>) {
        self.init(plain: plain, fromBit: nil)
    }
}
