import Sluice

/// One column's writer, whatever its physical type: what ``ParquetWriter`` holds per column.
///
/// It wraps a ``ParquetColumnEncoder`` in closures made by a generic initialiser, so that the encoder is
/// specialised for its value type (a protocol existential over a generic class would run the generic code).
final class ParquetColumnSink {
    private let prepareRows: (ColumnValues) throws -> (Range<Int>) throws -> Void
    private let buffered: () -> Int
    private let finish: (Int64) throws -> (pages: [[UInt8]], metadata: ParquetColumnMetadata)

    init<Value: ParquetWritable>(
        layout: ParquetColumnLayout,
        extract: @escaping (ColumnValues) -> ColumnVector<Value>?
    ) {
        let box = ParquetEncoderBox(ParquetColumnEncoder<Value>(layout: layout))
        prepareRows = { values in
            guard let vector = extract(values) else {
                throw SluiceError(
                    .invalidRequest,
                    "Parquet column '\(layout.name)': the batch's column has another type"
                )
            }
            return { range in try box.encoder.append(vector, rows: range) }
        }
        buffered = { box.encoder.bufferedBytes }
        finish = { offset in try box.encoder.finishChunk(at: offset) }
    }

    /// Takes one batch's column (converted once) and returns what appends a range of its rows.
    func prepare(_ values: ColumnValues) throws -> (Range<Int>) throws -> Void { try prepareRows(values) }

    /// The plain-encoded bytes buffered for the current row group.
    var bufferedBytes: Int { buffered() }

    /// Closes the column chunk: its pages in file order (dictionary first) and its metadata at `offset`.
    func finishChunk(at offset: Int64) throws -> (pages: [[UInt8]], metadata: ParquetColumnMetadata) {
        try finish(offset)
    }
}

private final class ParquetEncoderBox<Value: ParquetWritable> {
    var encoder: ParquetColumnEncoder<Value>

    init(_ encoder: ParquetColumnEncoder<Value>) { self.encoder = encoder }
}

/// How a column is stored: its name, physical type, width, nullability and the page settings.
struct ParquetColumnLayout {
    var name: String
    var physicalType: ParquetPhysicalType
    /// The byte width of FIXED_LEN_BYTE_ARRAY values (0 otherwise).
    var width: Int
    var isOptional: Bool
    var usesDictionary: Bool
    var writesMinMax: Bool
    var codec: ParquetCodec
    var level: Int
    var pageSize: Int
    var dictionaryPageSize: Int
}

/// Buffers one column's pages for the current row group: values are dictionary-encoded (falling back to PLAIN
/// when the dictionary grows past its limit) or PLAIN, pages are compressed as they fill, statistics are kept.
struct ParquetColumnEncoder<Value: ParquetWritable> {
    private let layout: ParquetColumnLayout

    private var pageValues: [Value] = []
    private var pageIndices: [UInt32] = []
    /// Definition levels of the page, kept only once it has a NULL (until then every level is 1).
    private var pageLevels: [UInt32] = []
    private var pageHasNulls = false
    private var pageRows = 0
    private var pageBytes = 0

    private var dictionary: [Value: UInt32] = [:]
    private var dictionaryValues: [Value] = []
    private var dictionaryBytes = 0
    private var isDictionaryEncoding: Bool

    private var dataPages: [UInt8] = []
    private var chunkUncompressed = 0
    private var chunkRows = 0
    private var encodings: Set<Int32> = [ParquetEncoding.rle.rawValue]
    private var nullCount = 0
    private var minimum: Value?
    private var maximum: Value?
    private(set) var bufferedBytes = 0

    init(layout: ParquetColumnLayout) {
        self.layout = layout
        isDictionaryEncoding = layout.usesDictionary
    }

    mutating func append(_ vector: ColumnVector<Value>, rows range: Range<Int>) throws {
        let width = layout.width
        for row in range {
            guard vector.validity[row] else {
                guard layout.isOptional else {
                    throw SluiceError(
                        .invalidRequest,
                        "Parquet column '\(layout.name)' is not nullable but a row is NULL"
                    )
                }
                if !pageHasNulls {
                    pageLevels = Array(repeating: 1, count: pageRows)
                    pageHasNulls = true
                }
                pageLevels.append(0)
                nullCount += 1
                try endRow(size: 0)
                continue
            }
            let value = vector.values[row]
            if pageHasNulls { pageLevels.append(1) }
            let size = value.plainSize(width: width)
            if isDictionaryEncoding {
                appendIndex(of: value, size: size)
            } else {
                pageValues.append(value)
                observe(value)
            }
            try endRow(size: size)
        }
    }

    private mutating func appendIndex(of value: Value, size: Int) {
        if let index = dictionary[value] {
            pageIndices.append(index)
            return
        }
        let index = UInt32(dictionaryValues.count)
        dictionary[value] = index
        dictionaryValues.append(value)
        dictionaryBytes += size
        pageIndices.append(index)
        observe(value)
    }

    private mutating func observe(_ value: Value) {
        guard layout.writesMinMax, value.isOrdered else { return }
        if let minimum, !Value.precedes(value, minimum) {
        } else {
            minimum = value
        }
        if let maximum, !Value.precedes(maximum, value) {
        } else {
            maximum = value
        }
    }

    private mutating func endRow(size: Int) throws {
        pageRows += 1
        pageBytes += size
        bufferedBytes += size
        if isDictionaryEncoding && dictionaryBytes > layout.dictionaryPageSize {
            try flushPage()
            isDictionaryEncoding = false
        } else if pageBytes >= layout.pageSize {
            try flushPage()
        }
    }

    /// Compresses the buffered rows into a data page (v1) appended to the chunk.
    private mutating func flushPage() throws {
        guard pageRows > 0 else { return }
        var body: [UInt8] = []
        body.reserveCapacity(pageBytes + pageLevels.count / 8 + 64)
        if layout.isOptional {
            var levels: [UInt8] = []
            if pageHasNulls {
                pageLevels.withUnsafeBufferPointer { HybridEncoding.encode($0, bitWidth: 1, into: &levels) }
            } else {
                HybridEncoding.varint(UInt64(pageRows) << 1, into: &levels)
                levels.append(1)
            }
            withUnsafeBytes(of: UInt32(levels.count).littleEndian) { body.append(contentsOf: $0) }
            body += levels
        }
        let encoding: ParquetEncoding
        if isDictionaryEncoding && !dictionaryValues.isEmpty {
            encoding = .rleDictionary
            let bitWidth = HybridEncoding.bitWidth(forMaximum: dictionaryValues.count - 1)
            body.append(UInt8(bitWidth))
            pageIndices.withUnsafeBufferPointer { HybridEncoding.encode($0, bitWidth: bitWidth, into: &body) }
        } else {
            encoding = .plain
            Value.appendPlain(pageValues, width: layout.width, to: &body)
        }
        encodings.insert(encoding.rawValue)
        dataPages += try page(body, type: .dataPage, values: pageRows, encoding: encoding)
        chunkRows += pageRows
        pageValues.removeAll(keepingCapacity: true)
        pageIndices.removeAll(keepingCapacity: true)
        pageLevels.removeAll(keepingCapacity: true)
        pageHasNulls = false
        pageRows = 0
        pageBytes = 0
    }

    /// A page: its header and its compressed body.
    private mutating func page(
        _ body: [UInt8],
        type: ParquetPageType,
        values: Int,
        encoding: ParquetEncoding
    ) throws -> [UInt8] {
        var compressed: [UInt8] = []
        if layout.codec != .none {
            compressed.reserveCapacity(body.count / 2 + 64)
            try body.withUnsafeBytes { try layout.codec.compress($0, level: layout.level, into: &compressed) }
        }
        let storedSize = layout.codec == .none ? body.count : compressed.count
        guard body.count < Int(Int32.max), values < Int(Int32.max) else {
            throw SluiceError(.invalidRequest, "Parquet column '\(layout.name)': page too large")
        }
        var header = ParquetPageHeader()
        header.type = type.rawValue
        header.uncompressedSize = Int32(body.count)
        header.compressedSize = Int32(storedSize)
        header.numValues = Int32(values)
        header.encoding = encoding.rawValue
        var output = header.encoded()
        chunkUncompressed += output.count + body.count
        output += layout.codec == .none ? body : compressed
        return output
    }

    mutating func finishChunk(at offset: Int64) throws -> (pages: [[UInt8]], metadata: ParquetColumnMetadata) {
        try flushPage()
        var dictionaryPage: [UInt8] = []
        if !dictionaryValues.isEmpty {
            var body: [UInt8] = []
            body.reserveCapacity(dictionaryBytes)
            Value.appendPlain(dictionaryValues, width: layout.width, to: &body)
            dictionaryPage = try page(body, type: .dictionaryPage, values: dictionaryValues.count, encoding: .plain)
            encodings.insert(ParquetEncoding.plain.rawValue)
        }
        var statistics = ParquetStatistics(nullCount: Int64(nullCount))
        statistics.minValue = minimum?.statisticsBytes(width: layout.width)
        statistics.maxValue = maximum?.statisticsBytes(width: layout.width)
        let metadata = ParquetColumnMetadata(
            type: layout.physicalType,
            encodings: encodings.sorted(),
            path: [layout.name],
            codec: layout.codec.thriftValue,
            numValues: Int64(chunkRows),
            totalUncompressedSize: Int64(chunkUncompressed),
            totalCompressedSize: Int64(dictionaryPage.count + dataPages.count),
            dataPageOffset: offset + Int64(dictionaryPage.count),
            dictionaryPageOffset: dictionaryPage.isEmpty ? nil : offset,
            statistics: statistics
        )
        let pages = dictionaryPage.isEmpty ? [dataPages] : [dictionaryPage, dataPages]
        reset()
        return (pages, metadata)
    }

    private mutating func reset() {
        dictionary.removeAll()
        dictionaryValues.removeAll()
        dictionaryBytes = 0
        isDictionaryEncoding = layout.usesDictionary
        dataPages = []
        chunkUncompressed = 0
        chunkRows = 0
        encodings = [ParquetEncoding.rle.rawValue]
        nullCount = 0
        minimum = nil
        maximum = nil
        bufferedBytes = 0
    }
}
