import Sluice

/// Produces one column of a row group, batch by batch: a ``ParquetChunkDecoder`` specialised for its element
/// type behind a closure, or NULLs for a column the file lacks.
final class ParquetColumnSource {
    private let next: (Int) throws(ParquetFailure) -> ColumnValues

    init<T: Sendable>(_ decoder: ParquetChunkDecoder<T>) {
        let box = ParquetDecoderBox(decoder)
        next = { count throws(ParquetFailure) in try box.decoder.read(count) }
    }

    /// A column the file lacks: NULL in every row.
    init(nullsOf type: ColumnType) {
        next = { count in ColumnValues.nulls(type: type, count: count) }
    }

    /// The next `count` rows of the column.
    func read(_ count: Int) throws(ParquetFailure) -> ColumnValues { try next(count) }
}

private final class ParquetDecoderBox<T: Sendable> {
    var decoder: ParquetChunkDecoder<T>

    init(_ decoder: ParquetChunkDecoder<T>) { self.decoder = decoder }
}

/// Decodes the pages of one column chunk (held in memory, compressed) into Sluice values of type `T`:
/// dictionary pages, data pages v1 and v2, PLAIN, RLE_DICTIONARY / PLAIN_DICTIONARY and RLE booleans.
struct ParquetChunkDecoder<T: Sendable> {
    private let chunk: [UInt8]
    private var position = 0
    private let codec: ParquetCodec
    private let isOptional: Bool
    private let plan: ParquetValuePlan<T>
    private let placeholder: T
    private let wrap: (ColumnVector<T>) -> ColumnValues
    private var rowsLeft: Int64
    private var dictionary: [T]?
    private var values: [T] = []
    private var definitions: [Bool]?
    private var pageRows = 0
    private var rowIndex = 0
    private var valueIndex = 0

    /// The largest page Sluice decompresses: a corrupt size must not allocate without bound.
    private static var largestPage: Int { 1 << 30 }

    init(
        chunk: [UInt8],
        codec: Int32,
        isOptional: Bool,
        rows: Int64,
        plan: ParquetValuePlan<T>,
        placeholder: T,
        wrap: @escaping (ColumnVector<T>) -> ColumnValues
    ) throws(ParquetFailure) {
        guard let known = ParquetCodec(thriftValue: codec) else {
            throw ParquetFailure("compression \(ParquetCodec.name(ofThriftValue: codec)) is not supported")
        }
        self.chunk = chunk
        self.codec = known
        self.isOptional = isOptional
        self.rowsLeft = rows
        self.plan = plan
        self.placeholder = placeholder
        self.wrap = wrap
    }

    mutating func read(_ count: Int) throws(ParquetFailure) -> ColumnValues {
        var vector = ColumnVector<T>(capacity: count)
        var remaining = count
        while remaining > 0 {
            if rowIndex == pageRows { try loadPage() }
            let take = min(remaining, pageRows - rowIndex)
            if let definitions {
                for row in rowIndex..<(rowIndex + take) {
                    if definitions[row] {
                        vector.append(values[valueIndex])
                        valueIndex += 1
                    } else {
                        vector.appendNull(placeholder)
                    }
                }
            } else {
                vector.values.append(contentsOf: values[valueIndex..<(valueIndex + take)])
                vector.validity.append(contentsOf: repeatElement(true, count: take))
                valueIndex += take
            }
            rowIndex += take
            remaining -= take
        }
        return wrap(vector)
    }

    private mutating func loadPage() throws(ParquetFailure) {
        while true {
            guard position < chunk.count, rowsLeft > 0 else {
                throw ParquetFailure("the column chunk ends before the row group's rows")
            }
            let start = position
            let (header, end) = try chunk.withParquetBytes { bytes throws(ParquetFailure) in
                var reader = ThriftCompactReader(bytes, position: start)
                return (try ParquetPageHeader(reading: &reader), reader.position)
            }
            position = end
            let size = Int(header.compressedSize)
            guard size <= chunk.count - position else { throw ParquetFailure("page truncated") }
            let body = position..<(position + size)
            position += size
            switch ParquetPageType(rawValue: header.type) {
            case .dictionaryPage:
                try loadDictionary(header, body: body)
            case .dataPage:
                try loadDataPage(header, body: body)
                return
            case .dataPageV2:
                try loadDataPageV2(header, body: body)
                return
            case .indexPage, nil:
                continue
            }
        }
    }

    private mutating func loadDictionary(_ header: ParquetPageHeader, body: Range<Int>) throws(ParquetFailure) {
        guard
            header.encoding == ParquetEncoding.plain.rawValue
                || header.encoding == ParquetEncoding.plainDictionary.rawValue
        else { throw ParquetFailure("dictionary page encoding \(header.encoding) is not supported") }
        let page = try decompress(body, size: Int(header.uncompressedSize))
        dictionary = try page.withParquetBytes { bytes throws(ParquetFailure) in
            var cursor = ByteCursor(bytes)
            return try plan.plain(&cursor, Int(header.numValues))
        }
    }

    private mutating func loadDataPage(_ header: ParquetPageHeader, body: Range<Int>) throws(ParquetFailure) {
        let count = try startPage(header)
        let page = try decompress(body, size: Int(header.uncompressedSize))
        try page.withParquetBytes { bytes throws(ParquetFailure) in
            var cursor = ByteCursor(bytes)
            var present = count
            definitions = nil
            if isOptional {
                guard header.definitionLevelEncoding == ParquetEncoding.rle.rawValue else {
                    throw ParquetFailure("definition level encoding \(header.definitionLevelEncoding) is not supported")
                }
                let length = try cursor.uint32()
                present = try decodeDefinitions(try cursor.take(Int(length)), count: count)
            }
            try decodeValues(&cursor, encoding: header.encoding, count: present)
        }
    }

    private mutating func loadDataPageV2(_ header: ParquetPageHeader, body: Range<Int>) throws(ParquetFailure) {
        let count = try startPage(header)
        let repetitionLength = Int(header.repetitionLevelsByteLength)
        let definitionLength = Int(header.definitionLevelsByteLength)
        guard repetitionLength >= 0, definitionLength >= 0, repetitionLength + definitionLength <= body.count,
            repetitionLength + definitionLength <= Int(header.uncompressedSize)
        else { throw ParquetFailure("corrupt data page header (level lengths)") }
        let levelsEnd = body.lowerBound + repetitionLength + definitionLength
        var present = count
        definitions = nil
        if isOptional {
            let chunk = self.chunk
            present = try chunk.withParquetBytes { bytes throws(ParquetFailure) in
                let levels = UnsafeRawBufferPointer(rebasing: bytes[(body.lowerBound + repetitionLength)..<levelsEnd])
                return try decodeDefinitions(levels, count: count)
            }
        }
        let valuesSize = Int(header.uncompressedSize) - repetitionLength - definitionLength
        let page =
            header.isCompressed
            ? try decompress(levelsEnd..<body.upperBound, size: valuesSize)
            : try decompress(levelsEnd..<body.upperBound, size: valuesSize, codec: ParquetCodec.none)
        try page.withParquetBytes { bytes throws(ParquetFailure) in
            var cursor = ByteCursor(bytes)
            try decodeValues(&cursor, encoding: header.encoding, count: present)
        }
    }

    private mutating func startPage(_ header: ParquetPageHeader) throws(ParquetFailure) -> Int {
        guard Int64(header.numValues) <= rowsLeft else {
            throw ParquetFailure("a page holds more values than the row group has rows")
        }
        rowsLeft -= Int64(header.numValues)
        pageRows = Int(header.numValues)
        rowIndex = 0
        valueIndex = 0
        values = []
        return pageRows
    }

    private func decompress(
        _ range: Range<Int>,
        size: Int,
        codec: ParquetCodec? = nil
    ) throws(ParquetFailure) -> [UInt8] {
        guard size >= 0, size <= Self.largestPage else { throw ParquetFailure("page size \(size) is out of range") }
        var output = [UInt8](repeating: 0, count: size)
        try chunk.withParquetBytes { bytes throws(ParquetFailure) in
            try output.withMutableParquetBytes { buffer throws(ParquetFailure) in
                try (codec ?? self.codec).decompress(UnsafeRawBufferPointer(rebasing: bytes[range]), into: buffer)
            }
        }
        return output
    }

    /// Decodes definition levels (0 or 1) and returns how many rows are present.
    private mutating func decodeDefinitions(_ levels: UnsafeRawBufferPointer, count: Int) throws(ParquetFailure) -> Int
    {
        var flags: [Bool] = []
        flags.reserveCapacity(count)
        var present = 0
        try HybridEncoding.decode(levels, count: count, bitWidth: 1) { level throws(ParquetFailure) in
            flags.append(level == 1)
            present += Int(level)
        }
        definitions = flags
        return present
    }

    private mutating func decodeValues(_ cursor: inout ByteCursor, encoding: Int32, count: Int) throws(ParquetFailure) {
        switch ParquetEncoding(rawValue: encoding) {
        case .plain:
            values = try plan.plain(&cursor, count)
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw ParquetFailure("a dictionary-encoded page has no dictionary page") }
            let bitWidth = Int(try cursor.byte())
            var decoded: [T] = []
            decoded.reserveCapacity(count)
            try HybridEncoding.decode(cursor.rest(), count: count, bitWidth: bitWidth) { index throws(ParquetFailure) in
                guard Int(index) < dictionary.count else { throw ParquetFailure("dictionary index out of range") }
                decoded.append(dictionary[Int(index)])
            }
            values = decoded
        case .rle:
            guard let fromBit = plan.fromBit else { throw ParquetFailure("RLE encoding of a non-boolean column") }
            let length = try cursor.uint32()
            var decoded: [T] = []
            decoded.reserveCapacity(count)
            try HybridEncoding.decode(try cursor.take(Int(length)), count: count, bitWidth: 1) {
                bit throws(ParquetFailure) in
                decoded.append(fromBit(bit == 1))
            }
            values = decoded
        case let other:
            throw ParquetFailure("encoding \(other.map { "\($0)" } ?? "\(encoding)") is not supported")
        }
        guard values.count == count else { throw ParquetFailure("page truncated") }
    }
}

extension ColumnValues {
    /// `count` NULLs of `type`.
    static func nulls(type: ColumnType, count: Int) -> ColumnValues {
        let validity = [Bool](repeating: false, count: count)
        func vector<E>(_ placeholder: E) -> ColumnVector<E> {
            var vector = ColumnVector<E>()
            vector.values = Array(repeating: placeholder, count: count)
            vector.validity = validity
            return vector
        }
        switch type {
        case .bool: return .bool(vector(false))
        case .int64: return .int64(vector(0))
        case .double: return .double(vector(0))
        case .decimal(_, let scale): return .decimal(vector(0), scale: scale)
        case .string: return .string(vector(""))
        case .date: return .date(vector(0))
        case .timestamp: return .timestamp(vector(0))
        case .bytes: return .bytes(vector([]))
        case .json: return .json(vector(""))
        }
    }
}
