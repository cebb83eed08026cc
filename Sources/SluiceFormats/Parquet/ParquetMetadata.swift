/// The parts of Parquet's Thrift metadata Sluice writes and reads (field ids per `parquet.thrift`).
enum ParquetPhysicalType: Int32 {
    case boolean = 0
    case int32 = 1
    case int64 = 2
    case int96 = 3
    case float = 4
    case double = 5
    case byteArray = 6
    case fixedLenByteArray = 7
}

/// Parquet encodings (`Encoding` in `parquet.thrift`).
enum ParquetEncoding: Int32 {
    case plain = 0
    case plainDictionary = 2
    case rle = 3
    case bitPacked = 4
    case deltaBinaryPacked = 5
    case deltaLengthByteArray = 6
    case deltaByteArray = 7
    case rleDictionary = 8
    case byteStreamSplit = 9
}

/// Parquet page types (`PageType`).
enum ParquetPageType: Int32 {
    case dataPage = 0
    case indexPage = 1
    case dictionaryPage = 2
    case dataPageV2 = 3
}

/// `ConvertedType` values Sluice writes or reads.
enum ParquetConvertedType {
    static let utf8: Int32 = 0
    static let enumeration: Int32 = 4
    static let decimal: Int32 = 5
    static let date: Int32 = 6
    static let timestampMillis: Int32 = 9
    static let timestampMicros: Int32 = 10
    static let json: Int32 = 19
}

/// The logical type annotation of a leaf (`LogicalType` union).
enum ParquetLogicalType: Equatable {
    case string
    case enumeration
    case decimal(scale: Int32, precision: Int32)
    case date
    case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
    case integer(bitWidth: Int8, isSigned: Bool)
    case json
    case other

    enum TimeUnit: Int16 {
        case millis = 1
        case micros = 2
        case nanos = 3
    }
}

/// A schema element: the root (name and child count) or a leaf column.
struct ParquetSchemaElement {
    var type: ParquetPhysicalType?
    var typeLength: Int32?
    /// 0 REQUIRED, 1 OPTIONAL, 2 REPEATED.
    var repetition: Int32?
    var name: String
    var numChildren: Int32?
    var convertedType: Int32?
    var scale: Int32?
    var precision: Int32?
    var logicalType: ParquetLogicalType?
}

/// Column statistics: plain-encoded bounds (no length prefix) and the null count.
struct ParquetStatistics {
    var nullCount: Int64?
    var minValue: [UInt8]?
    var maxValue: [UInt8]?
}

/// The metadata of one column chunk.
struct ParquetColumnMetadata {
    var type: ParquetPhysicalType
    var encodings: [Int32]
    var path: [String]
    var codec: Int32
    var numValues: Int64
    var totalUncompressedSize: Int64
    var totalCompressedSize: Int64
    var dataPageOffset: Int64
    var dictionaryPageOffset: Int64?
    var statistics: ParquetStatistics?
}

/// One row group: its column chunks (in leaf order) and sizes.
struct ParquetRowGroup {
    var columns: [ParquetColumnMetadata]
    var totalByteSize: Int64
    var numRows: Int64
    var fileOffset: Int64?
    var totalCompressedSize: Int64?
}

/// The footer of a Parquet file.
struct ParquetFileMetadata {
    var version: Int32 = 1
    var schema: [ParquetSchemaElement]
    var numRows: Int64
    var rowGroups: [ParquetRowGroup]
    var keyValues: [(key: String, value: String)] = []
    var createdBy: String?
}

/// A page header: the page's type and sizes and the header of its kind.
struct ParquetPageHeader {
    var type: Int32 = 0
    var uncompressedSize: Int32 = 0
    var compressedSize: Int32 = 0
    /// Values in a data page (nulls included) or a dictionary page.
    var numValues: Int32 = 0
    var encoding: Int32 = 0
    var definitionLevelEncoding: Int32 = ParquetEncoding.rle.rawValue
    /// Data page v2: NULL count, level byte lengths and whether the values are compressed.
    var numNulls: Int32 = 0
    var definitionLevelsByteLength: Int32 = 0
    var repetitionLevelsByteLength: Int32 = 0
    var isCompressed = true
}
