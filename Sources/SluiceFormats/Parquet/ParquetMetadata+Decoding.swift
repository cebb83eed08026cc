extension ParquetFileMetadata {
    /// Decodes a footer; unknown fields are skipped.
    init(decoding bytes: UnsafeRawBufferPointer) throws(ParquetFailure) {
        var reader = ThriftCompactReader(bytes)
        var schema: [ParquetSchemaElement] = []
        var numRows: Int64 = 0
        var rowGroups: [ParquetRowGroup] = []
        var keyValues: [(key: String, value: String)] = []
        var createdBy: String?
        var version: Int32 = 1
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (1, .i32): version = try reader.i32()
            case (2, .list):
                schema = try reader.structList { reader throws(ParquetFailure) in
                    try ParquetSchemaElement(reading: &reader)
                }
            case (3, .i64): numRows = try reader.i64()
            case (4, .list):
                rowGroups = try reader.structList { reader throws(ParquetFailure) in
                    try ParquetRowGroup(reading: &reader)
                }
            case (5, .list):
                keyValues = try reader.structList { reader throws(ParquetFailure) in
                    var key = ""
                    var value = ""
                    while let field = try reader.nextField() {
                        switch (field.id, field.type) {
                        case (1, .binary): key = try reader.string()
                        case (2, .binary): value = try reader.string()
                        default: try reader.skip(field.type)
                        }
                    }
                    return (key, value)
                }
            case (6, .binary): createdBy = try reader.string()
            default: try reader.skip(field.type)
            }
        }
        self.init(
            version: version,
            schema: schema,
            numRows: numRows,
            rowGroups: rowGroups,
            keyValues: keyValues,
            createdBy: createdBy
        )
    }
}

extension ThriftCompactReader {
    /// A list of structs, each read by `element` between its begin and stop byte.
    mutating func structList<Element>(
        _ element: (inout ThriftCompactReader) throws(ParquetFailure) -> Element
    ) throws(ParquetFailure) -> [Element] {
        let (type, count) = try listHeader()
        guard type == .structure else { throw ParquetFailure("corrupt metadata (expected a list of structs)") }
        var result: [Element] = []
        result.reserveCapacity(min(count, 4096))
        for _ in 0..<count {
            try beginStruct()
            result.append(try element(&self))
            endStruct()
        }
        return result
    }

    /// A list of i32 or binary values read by `element`.
    mutating func valueList<Element>(
        _ element: (inout ThriftCompactReader) throws(ParquetFailure) -> Element
    ) throws(ParquetFailure) -> [Element] {
        let (_, count) = try listHeader()
        var result: [Element] = []
        for _ in 0..<count { result.append(try element(&self)) }
        return result
    }

    /// Skips the rest of the current struct (after a union's member was read).
    mutating func skipRest() throws(ParquetFailure) {
        while let field = try nextField() { try skip(field.type) }
    }
}

extension ParquetSchemaElement {
    init(reading reader: inout ThriftCompactReader) throws(ParquetFailure) {
        self.init(name: "")
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (1, .i32):
                let raw = try reader.i32()
                guard let type = ParquetPhysicalType(rawValue: raw) else {
                    throw ParquetFailure("unknown physical type \(raw)")
                }
                self.type = type
            case (2, .i32): typeLength = try reader.i32()
            case (3, .i32): repetition = try reader.i32()
            case (4, .binary): name = try reader.string()
            case (5, .i32): numChildren = try reader.i32()
            case (6, .i32): convertedType = try reader.i32()
            case (7, .i32): scale = try reader.i32()
            case (8, .i32): precision = try reader.i32()
            case (10, .structure):
                try reader.beginStruct()
                logicalType = try ParquetLogicalType(reading: &reader)
                reader.endStruct()
            default: try reader.skip(field.type)
            }
        }
    }
}

extension ParquetLogicalType {
    /// Reads the union's member (the reader is inside the union struct).
    init(reading reader: inout ThriftCompactReader) throws(ParquetFailure) {
        self = .other
        while let field = try reader.nextField() {
            guard field.type == .structure else {
                try reader.skip(field.type)
                continue
            }
            try reader.beginStruct()
            switch field.id {
            case 1: self = .string
            case 4: self = .enumeration
            case 5: self = try Self.decimal(&reader)
            case 6: self = .date
            case 8: self = try Self.timestamp(&reader)
            case 10: self = try Self.integer(&reader)
            case 12: self = .json
            default: self = .other
            }
            if case .decimal = self {
            } else if case .timestamp = self {
            } else if case .integer = self {
            } else {
                try reader.skipRest()
            }
            reader.endStruct()
        }
    }

    private static func decimal(_ reader: inout ThriftCompactReader) throws(ParquetFailure) -> Self {
        var scale: Int32 = 0
        var precision: Int32 = 0
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (1, .i32): scale = try reader.i32()
            case (2, .i32): precision = try reader.i32()
            default: try reader.skip(field.type)
            }
        }
        return .decimal(scale: scale, precision: precision)
    }

    private static func timestamp(_ reader: inout ThriftCompactReader) throws(ParquetFailure) -> Self {
        var isAdjustedToUTC = false
        var unit = TimeUnit.micros
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (1, .booleanTrue), (1, .booleanFalse): isAdjustedToUTC = reader.bool()
            case (2, .structure):
                try reader.beginStruct()
                while let member = try reader.nextField() {
                    if let known = TimeUnit(rawValue: member.id) { unit = known }
                    try reader.skip(member.type)
                }
                reader.endStruct()
            default: try reader.skip(field.type)
            }
        }
        return .timestamp(isAdjustedToUTC: isAdjustedToUTC, unit: unit)
    }

    private static func integer(_ reader: inout ThriftCompactReader) throws(ParquetFailure) -> Self {
        var bitWidth: Int8 = 64
        var isSigned = true
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (1, .byte): bitWidth = try reader.i8()
            case (2, .booleanTrue), (2, .booleanFalse): isSigned = reader.bool()
            default: try reader.skip(field.type)
            }
        }
        return .integer(bitWidth: bitWidth, isSigned: isSigned)
    }
}

extension ParquetRowGroup {
    init(reading reader: inout ThriftCompactReader) throws(ParquetFailure) {
        self.init(columns: [], totalByteSize: 0, numRows: 0)
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (1, .list):
                columns = try reader.structList { reader throws(ParquetFailure) in
                    try ParquetColumnMetadata(readingChunk: &reader)
                }
            case (2, .i64): totalByteSize = try reader.i64()
            case (3, .i64): numRows = try reader.i64()
            case (5, .i64): fileOffset = try reader.i64()
            case (6, .i64): totalCompressedSize = try reader.i64()
            default: try reader.skip(field.type)
            }
        }
    }
}

extension ParquetColumnMetadata {
    /// Reads a `ColumnChunk` and returns its `meta_data`.
    init(readingChunk reader: inout ThriftCompactReader) throws(ParquetFailure) {
        var metadata: ParquetColumnMetadata?
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (1, .binary): throw ParquetFailure("column chunks in other files are not supported")
            case (3, .structure):
                try reader.beginStruct()
                metadata = try ParquetColumnMetadata(reading: &reader)
                reader.endStruct()
            default: try reader.skip(field.type)
            }
        }
        guard let metadata else { throw ParquetFailure("a column chunk has no metadata") }
        self = metadata
    }

    init(reading reader: inout ThriftCompactReader) throws(ParquetFailure) {
        self.init(
            type: .int32,
            encodings: [],
            path: [],
            codec: 0,
            numValues: 0,
            totalUncompressedSize: 0,
            totalCompressedSize: 0,
            dataPageOffset: 0
        )
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (1, .i32):
                let raw = try reader.i32()
                guard let type = ParquetPhysicalType(rawValue: raw) else {
                    throw ParquetFailure("unknown physical type \(raw)")
                }
                self.type = type
            case (2, .list): encodings = try reader.valueList { reader throws(ParquetFailure) in try reader.i32() }
            case (3, .list): path = try reader.valueList { reader throws(ParquetFailure) in try reader.string() }
            case (4, .i32): codec = try reader.i32()
            case (5, .i64): numValues = try reader.i64()
            case (6, .i64): totalUncompressedSize = try reader.i64()
            case (7, .i64): totalCompressedSize = try reader.i64()
            case (9, .i64): dataPageOffset = try reader.i64()
            case (11, .i64): dictionaryPageOffset = try reader.i64()
            case (12, .structure):
                try reader.beginStruct()
                statistics = try ParquetStatistics(reading: &reader)
                reader.endStruct()
            default: try reader.skip(field.type)
            }
        }
    }
}

extension ParquetStatistics {
    init(reading reader: inout ThriftCompactReader) throws(ParquetFailure) {
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (3, .i64): nullCount = try reader.i64()
            case (5, .binary): maxValue = try reader.binary()
            case (6, .binary): minValue = try reader.binary()
            default: try reader.skip(field.type)
            }
        }
    }
}

extension ParquetPageHeader {
    /// Reads a page header at the reader's position.
    init(reading reader: inout ThriftCompactReader) throws(ParquetFailure) {
        self.init()
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (1, .i32): type = try reader.i32()
            case (2, .i32): uncompressedSize = try reader.i32()
            case (3, .i32): compressedSize = try reader.i32()
            case (5, .structure), (7, .structure), (8, .structure):
                try reader.beginStruct()
                try readKindHeader(field.id, &reader)
                reader.endStruct()
            default: try reader.skip(field.type)
            }
        }
        guard uncompressedSize >= 0, compressedSize >= 0, numValues >= 0 else {
            throw ParquetFailure("corrupt page header (negative size)")
        }
    }

    private mutating func readKindHeader(_ id: Int16, _ reader: inout ThriftCompactReader) throws(ParquetFailure) {
        while let field = try reader.nextField() {
            switch (id, field.id, field.type) {
            case (_, 1, .i32): numValues = try reader.i32()
            case (5, 2, .i32), (7, 2, .i32), (8, 4, .i32): encoding = try reader.i32()
            case (5, 3, .i32): definitionLevelEncoding = try reader.i32()
            case (8, 2, .i32): numNulls = try reader.i32()
            case (8, 5, .i32): definitionLevelsByteLength = try reader.i32()
            case (8, 6, .i32): repetitionLevelsByteLength = try reader.i32()
            case (8, 7, .booleanTrue), (8, 7, .booleanFalse): isCompressed = reader.bool()
            default: try reader.skip(field.type)
            }
        }
    }
}
