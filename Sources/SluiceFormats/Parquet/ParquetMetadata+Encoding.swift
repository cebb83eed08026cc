extension ParquetFileMetadata {
    /// The Thrift compact encoding of the footer, with a `TypeDefinedOrder` per leaf (without column orders,
    /// readers ignore min/max statistics).
    func encoded() -> [UInt8] {
        var writer = ThriftCompactWriter(capacity: 4096)
        writer.i32(1, version)
        writer.listHeader(2, .structure, count: schema.count)
        for element in schema { element.encode(into: &writer) }
        writer.i64(3, numRows)
        writer.listHeader(4, .structure, count: rowGroups.count)
        for rowGroup in rowGroups { rowGroup.encode(into: &writer) }
        if !keyValues.isEmpty {
            writer.listHeader(5, .structure, count: keyValues.count)
            for (key, value) in keyValues {
                writer.beginListStruct()
                writer.string(1, key)
                writer.string(2, value)
                writer.endStruct()
            }
        }
        if let createdBy { writer.string(6, createdBy) }
        let leaves = schema.count - 1
        writer.listHeader(7, .structure, count: leaves)
        for _ in 0..<leaves {
            writer.beginListStruct()
            writer.beginStruct(1)
            writer.endStruct()
            writer.endStruct()
        }
        writer.finish()
        return writer.bytes
    }
}

extension ParquetSchemaElement {
    func encode(into writer: inout ThriftCompactWriter) {
        writer.beginListStruct()
        if let type { writer.i32(1, type.rawValue) }
        if let typeLength { writer.i32(2, typeLength) }
        if let repetition { writer.i32(3, repetition) }
        writer.string(4, name)
        if let numChildren { writer.i32(5, numChildren) }
        if let convertedType { writer.i32(6, convertedType) }
        if let scale { writer.i32(7, scale) }
        if let precision { writer.i32(8, precision) }
        if let logicalType { logicalType.encode(into: &writer) }
        writer.endStruct()
    }
}

extension ParquetLogicalType {
    /// Writes field 10 of a schema element: the union with one member.
    func encode(into writer: inout ThriftCompactWriter) {
        writer.beginStruct(10)
        switch self {
        case .string:
            writer.beginStruct(1)
            writer.endStruct()
        case .enumeration:
            writer.beginStruct(4)
            writer.endStruct()
        case .decimal(let scale, let precision):
            writer.beginStruct(5)
            writer.i32(1, scale)
            writer.i32(2, precision)
            writer.endStruct()
        case .date:
            writer.beginStruct(6)
            writer.endStruct()
        case .timestamp(let isAdjustedToUTC, let unit):
            writer.beginStruct(8)
            writer.bool(1, isAdjustedToUTC)
            writer.beginStruct(2)
            writer.beginStruct(unit.rawValue)
            writer.endStruct()
            writer.endStruct()
            writer.endStruct()
        case .integer(let bitWidth, let isSigned):
            writer.beginStruct(10)
            writer.fieldHeader(1, .byte)
            writer.appendRaw(UInt8(bitPattern: bitWidth))
            writer.bool(2, isSigned)
            writer.endStruct()
        case .json:
            writer.beginStruct(12)
            writer.endStruct()
        case .other:
            break
        }
        writer.endStruct()
    }
}

extension ParquetRowGroup {
    func encode(into writer: inout ThriftCompactWriter) {
        writer.beginListStruct()
        writer.listHeader(1, .structure, count: columns.count)
        for column in columns {
            writer.beginListStruct()
            writer.i64(2, column.dictionaryPageOffset ?? column.dataPageOffset)
            writer.beginStruct(3)
            column.encode(into: &writer)
            writer.endStruct()
            writer.endStruct()
        }
        writer.i64(2, totalByteSize)
        writer.i64(3, numRows)
        if let fileOffset { writer.i64(5, fileOffset) }
        if let totalCompressedSize { writer.i64(6, totalCompressedSize) }
        writer.endStruct()
    }
}

extension ParquetColumnMetadata {
    func encode(into writer: inout ThriftCompactWriter) {
        writer.i32(1, type.rawValue)
        writer.listHeader(2, .i32, count: encodings.count)
        for encoding in encodings { writer.i32Element(encoding) }
        writer.listHeader(3, .binary, count: path.count)
        for name in path { writer.stringElement(name) }
        writer.i32(4, codec)
        writer.i64(5, numValues)
        writer.i64(6, totalUncompressedSize)
        writer.i64(7, totalCompressedSize)
        writer.i64(9, dataPageOffset)
        if let dictionaryPageOffset { writer.i64(11, dictionaryPageOffset) }
        if let statistics {
            writer.beginStruct(12)
            if let nullCount = statistics.nullCount { writer.i64(3, nullCount) }
            if let maxValue = statistics.maxValue { writer.binary(5, maxValue) }
            if let minValue = statistics.minValue { writer.binary(6, minValue) }
            writer.endStruct()
        }
    }
}

extension ParquetPageHeader {
    /// The Thrift encoding of a data page (v1) or dictionary page header.
    func encoded() -> [UInt8] {
        var writer = ThriftCompactWriter(capacity: 32)
        writer.i32(1, type)
        writer.i32(2, uncompressedSize)
        writer.i32(3, compressedSize)
        if type == ParquetPageType.dictionaryPage.rawValue {
            writer.beginStruct(7)
            writer.i32(1, numValues)
            writer.i32(2, encoding)
            writer.endStruct()
        } else {
            writer.beginStruct(5)
            writer.i32(1, numValues)
            writer.i32(2, encoding)
            writer.i32(3, definitionLevelEncoding)
            writer.i32(4, ParquetEncoding.rle.rawValue)
            writer.endStruct()
        }
        writer.finish()
        return writer.bytes
    }
}
