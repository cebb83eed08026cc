/// A physical value the Parquet writer stores: how it is PLAIN-encoded, ordered for statistics and sized.
protocol ParquetWritable: Hashable, Sendable {
    /// Appends the PLAIN encoding of `values`; `width` is the byte width of fixed-length values.
    static func appendPlain(_ values: [Self], width: Int, to output: inout [UInt8])
    /// The PLAIN size of this value, for page and row group sizing.
    func plainSize(width: Int) -> Int
    /// The statistics order (the physical type's, or the logical type's where it differs).
    static func precedes(_ lhs: Self, _ rhs: Self) -> Bool
    /// The plain encoding used in statistics, or `nil` when this value cannot bound others (NaN).
    func statisticsBytes(width: Int) -> [UInt8]?
    /// Whether this value takes part in min/max (false for NaN).
    var isOrdered: Bool { get }
}

extension ParquetWritable {
    var isOrdered: Bool { true }
}

extension ParquetWritable where Self: FixedWidthInteger {
    static func appendPlain(_ values: [Self], width: Int, to output: inout [UInt8]) {
        values.withUnsafeBytes { output.append(contentsOf: $0) }
    }

    func plainSize(width: Int) -> Int { Self.bitWidth / 8 }

    static func precedes(_ lhs: Self, _ rhs: Self) -> Bool { lhs < rhs }

    func statisticsBytes(width: Int) -> [UInt8]? { withUnsafeBytes(of: littleEndian) { Array($0) } }
}

extension Int32: ParquetWritable {}
extension Int64: ParquetWritable {}

extension Double: ParquetWritable {
    static func appendPlain(_ values: [Double], width: Int, to output: inout [UInt8]) {
        values.withUnsafeBytes { output.append(contentsOf: $0) }
    }

    func plainSize(width: Int) -> Int { 8 }

    static func precedes(_ lhs: Double, _ rhs: Double) -> Bool { lhs < rhs }

    var isOrdered: Bool { !isNaN }

    func statisticsBytes(width: Int) -> [UInt8]? {
        isNaN ? nil : withUnsafeBytes(of: (self == 0 ? 0.0 : self).bitPattern.littleEndian) { Array($0) }
    }
}

extension Bool: ParquetWritable {
    static func appendPlain(_ values: [Bool], width: Int, to output: inout [UInt8]) {
        var byte: UInt8 = 0
        for (index, value) in values.enumerated() {
            if value { byte |= 1 << UInt8(index & 7) }
            if index & 7 == 7 {
                output.append(byte)
                byte = 0
            }
        }
        if values.count & 7 != 0 { output.append(byte) }
    }

    func plainSize(width: Int) -> Int { 1 }

    static func precedes(_ lhs: Bool, _ rhs: Bool) -> Bool { !lhs && rhs }

    func statisticsBytes(width: Int) -> [UInt8]? { [self ? 1 : 0] }
}

/// A decimal significand stored as FIXED_LEN_BYTE_ARRAY: big-endian two's complement of the column's width.
struct WideDecimal: ParquetWritable {
    let significand: Int128

    static func appendPlain(_ values: [WideDecimal], width: Int, to output: inout [UInt8]) {
        for value in values { value.appendBigEndian(width: width, to: &output) }
    }

    func appendBigEndian(width: Int, to output: inout [UInt8]) {
        for index in stride(from: width - 1, through: 0, by: -1) {
            output.append(UInt8(truncatingIfNeeded: significand >> (8 * index)))
        }
    }

    func plainSize(width: Int) -> Int { width }

    static func precedes(_ lhs: WideDecimal, _ rhs: WideDecimal) -> Bool { lhs.significand < rhs.significand }

    func statisticsBytes(width: Int) -> [UInt8]? {
        var bytes: [UInt8] = []
        appendBigEndian(width: width, to: &bytes)
        return bytes
    }
}

/// Text compared and hashed by its UTF-8 bytes (Swift's `String` equality is canonical equivalence, which
/// would merge differently-normalised strings in a dictionary).
struct UTF8Text: ParquetWritable {
    let text: String

    static func == (lhs: UTF8Text, rhs: UTF8Text) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }

    func hash(into hasher: inout Hasher) {
        let hashed: Void? = text.utf8.withContiguousStorageIfAvailable {
            hasher.combine(bytes: UnsafeRawBufferPointer($0))
        }
        if hashed == nil { for byte in text.utf8 { hasher.combine(byte) } }
    }

    static func appendPlain(_ values: [UTF8Text], width: Int, to output: inout [UInt8]) {
        for value in values {
            let count = UInt32(value.text.utf8.count)
            withUnsafeBytes(of: count.littleEndian) { output.append(contentsOf: $0) }
            output.append(contentsOf: value.text.utf8)
        }
    }

    func plainSize(width: Int) -> Int { 4 + text.utf8.count }

    static func precedes(_ lhs: UTF8Text, _ rhs: UTF8Text) -> Bool {
        lhs.text.utf8.lexicographicallyPrecedes(rhs.text.utf8)
    }

    func statisticsBytes(width: Int) -> [UInt8]? { Array(text.utf8) }
}

/// Opaque bytes (BYTE_ARRAY without annotation).
struct ByteArrayValue: ParquetWritable {
    let bytes: [UInt8]

    static func appendPlain(_ values: [ByteArrayValue], width: Int, to output: inout [UInt8]) {
        for value in values {
            withUnsafeBytes(of: UInt32(value.bytes.count).littleEndian) { output.append(contentsOf: $0) }
            output.append(contentsOf: value.bytes)
        }
    }

    func plainSize(width: Int) -> Int { 4 + bytes.count }

    static func precedes(_ lhs: ByteArrayValue, _ rhs: ByteArrayValue) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    func statisticsBytes(width: Int) -> [UInt8]? { Array(bytes) }
}
