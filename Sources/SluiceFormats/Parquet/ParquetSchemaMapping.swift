import Sluice

/// How Sluice column types are stored in Parquet, and how Parquet leaves are read back as Sluice types.
enum ParquetSchemaMapping {
    /// The key-value metadata key holding the Sluice schema as JSON.
    static let schemaKey = "sluice.schema"

    /// The smallest byte width whose two's complement holds every `precision`-digit significand.
    static func decimalWidth(precision: Int) -> Int {
        let largest = UInt128(Int128.decimalPower(precision) - 1)
        var width = 1
        while width < 16 && (UInt128(1) << UInt128(8 * width - 1)) - 1 < largest { width += 1 }
        return width
    }

    /// The schema element of a Sluice column.
    static func element(for column: Column) -> ParquetSchemaElement {
        var element = ParquetSchemaElement(name: column.name)
        element.repetition = column.isNullable ? 1 : 0
        switch column.type {
        case .bool: element.type = .boolean
        case .int64: element.type = .int64
        case .double: element.type = .double
        case .decimal(let precision, let scale):
            element.type = precision <= 9 ? .int32 : precision <= 18 ? .int64 : .fixedLenByteArray
            if precision > 18 { element.typeLength = Int32(decimalWidth(precision: precision)) }
            element.convertedType = ParquetConvertedType.decimal
            element.scale = Int32(scale)
            element.precision = Int32(precision)
            element.logicalType = .decimal(scale: Int32(scale), precision: Int32(precision))
        case .string:
            element.type = .byteArray
            element.convertedType = ParquetConvertedType.utf8
            element.logicalType = .string
        case .date:
            element.type = .int32
            element.convertedType = ParquetConvertedType.date
            element.logicalType = .date
        case .timestamp:
            element.type = .int64
            element.convertedType = ParquetConvertedType.timestampMicros
            element.logicalType = .timestamp(isAdjustedToUTC: true, unit: .micros)
        case .bytes: element.type = .byteArray
        case .json:
            element.type = .byteArray
            element.convertedType = ParquetConvertedType.json
            element.logicalType = .json
        }
        return element
    }

    /// A column writer for `column`.
    static func sink(for column: Column, options: ParquetWriteOptions) -> ParquetColumnSink {
        let element = element(for: column)
        var layout = ParquetColumnLayout(
            name: column.name,
            physicalType: element.type ?? .byteArray,
            width: Int(element.typeLength ?? 0),
            isOptional: column.isNullable,
            usesDictionary: options.dictionary,
            writesMinMax: true,
            codec: options.codec,
            level: options.level ?? options.codec.defaultLevel,
            pageSize: max(1, options.pageSize),
            dictionaryPageSize: options.dictionaryPageSize
        )
        switch column.type {
        case .bool:
            layout.usesDictionary = false
            return ParquetColumnSink(layout: layout) { values -> ColumnVector<Bool>? in
                if case .bool(let vector) = values { vector } else { nil }
            }
        case .int64:
            return ParquetColumnSink(layout: layout) { values -> ColumnVector<Int64>? in
                if case .int64(let vector) = values { vector } else { nil }
            }
        case .double:
            layout.usesDictionary = false
            return ParquetColumnSink(layout: layout) { values -> ColumnVector<Double>? in
                if case .double(let vector) = values { vector } else { nil }
            }
        case .decimal(let precision, _):
            return decimalSink(precision: precision, layout: layout)
        case .string:
            return ParquetColumnSink(layout: layout) { values -> ColumnVector<UTF8Text>? in
                if case .string(let vector) = values { vector.mapValues(UTF8Text.init) } else { nil }
            }
        case .date:
            return ParquetColumnSink(layout: layout) { values -> ColumnVector<Int32>? in
                if case .date(let vector) = values { vector } else { nil }
            }
        case .timestamp:
            return ParquetColumnSink(layout: layout) { values -> ColumnVector<Int64>? in
                if case .timestamp(let vector) = values { vector } else { nil }
            }
        case .bytes:
            layout.writesMinMax = false
            return ParquetColumnSink(layout: layout) { values -> ColumnVector<ByteArrayValue>? in
                if case .bytes(let vector) = values { vector.mapValues(ByteArrayValue.init) } else { nil }
            }
        case .json:
            layout.writesMinMax = false
            return ParquetColumnSink(layout: layout) { values -> ColumnVector<UTF8Text>? in
                if case .json(let vector) = values { vector.mapValues(UTF8Text.init) } else { nil }
            }
        }
    }

    private static func decimalSink(precision: Int, layout: ParquetColumnLayout) -> ParquetColumnSink {
        if precision <= 9 {
            return ParquetColumnSink(layout: layout) { values -> ColumnVector<Int32>? in
                if case .decimal(let vector, _) = values {
                    vector.mapValues { Int32(truncatingIfNeeded: $0) }
                } else {
                    nil
                }
            }
        }
        if precision <= 18 {
            return ParquetColumnSink(layout: layout) { values -> ColumnVector<Int64>? in
                if case .decimal(let vector, _) = values {
                    vector.mapValues { Int64(truncatingIfNeeded: $0) }
                } else {
                    nil
                }
            }
        }
        return ParquetColumnSink(layout: layout) { values -> ColumnVector<WideDecimal>? in
            if case .decimal(let vector, _) = values { vector.mapValues(WideDecimal.init) } else { nil }
        }
    }
}

extension ColumnVector {
    /// The same rows with every value transformed (NULL placeholders included).
    func mapValues<Other>(_ transform: (Element) -> Other) -> ColumnVector<Other> {
        var result = ColumnVector<Other>()
        result.values = values.map(transform)
        result.validity = validity
        return result
    }
}

extension Int128 {
    /// 10^exponent (exponent ≤ 38).
    static func decimalPower(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}
