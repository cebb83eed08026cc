/// Parquet's RLE / bit-packing hybrid: definition levels and dictionary indices.
///
/// A run of 8 or more equal values becomes an RLE run (`varint(count << 1)` + the value in
/// `ceil(width / 8)` bytes); everything else is bit-packed in groups of 8 (`varint(groups << 1 | 1)` +
/// `groups × width` bytes, least significant bit first). Only the last group may be padded.
enum HybridEncoding {
    /// The bits needed for values up to `maximum` (at least 1).
    static func bitWidth(forMaximum maximum: Int) -> Int {
        max(1, Int.bitWidth - maximum.leadingZeroBitCount)
    }

    /// Appends the hybrid encoding of `values` at `bitWidth` to `output`.
    static func encode(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into output: inout [UInt8]) {
        let count = values.count
        var index = 0
        while index < count {
            let run = runLength(values, at: index, cap: Int.max)
            if run >= 8 {
                varint(UInt64(run) << 1, into: &output)
                var value = values[index]
                for _ in 0..<(bitWidth + 7) / 8 {
                    output.append(UInt8(truncatingIfNeeded: value))
                    value >>= 8
                }
                index += run
                continue
            }
            var end = index
            repeat {
                end += 8
            } while end < count && runLength(values, at: end, cap: 8) < 8
            end = min(end, count)
            bitPack(values, from: index, to: end, bitWidth: bitWidth, into: &output)
            index = end
        }
    }

    private static func runLength(_ values: UnsafeBufferPointer<UInt32>, at index: Int, cap: Int) -> Int {
        let value = values[index]
        var end = index + 1
        let limit = values.count - index > cap ? index + cap : values.count
        while end < limit && values[end] == value { end += 1 }
        return end - index
    }

    private static func bitPack(
        _ values: UnsafeBufferPointer<UInt32>,
        from start: Int,
        to end: Int,
        bitWidth: Int,
        into output: inout [UInt8]
    ) {
        let groups = (end - start + 7) / 8
        varint(UInt64(groups) << 1 | 1, into: &output)
        var accumulator: UInt64 = 0
        var bits = 0
        for index in start..<(start + groups * 8) {
            let value = index < end ? UInt64(values[index]) : 0
            accumulator |= value << UInt64(bits)
            bits += bitWidth
            while bits >= 8 {
                output.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                bits -= 8
            }
        }
    }

    static func varint(_ value: UInt64, into output: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        output.append(UInt8(value))
    }

    /// Decodes `count` values at `bitWidth` from `bytes`, calling `body` with each.
    ///
    /// - Throws: ``ParquetFailure`` when the runs end before `count` values.
    static func decode(
        _ bytes: UnsafeRawBufferPointer,
        count: Int,
        bitWidth: Int,
        _ body: (UInt32) throws(ParquetFailure) -> Void
    ) throws(ParquetFailure) {
        guard (0...32).contains(bitWidth) else { throw ParquetFailure("invalid bit width \(bitWidth)") }
        var reader = ByteCursor(bytes)
        var produced = 0
        let mask: UInt64 = bitWidth == 0 ? 0 : (1 << UInt64(bitWidth)) - 1
        while produced < count {
            let header = try reader.varint()
            if header & 1 == 0 {
                let run = Int(clamping: header >> 1)
                var value: UInt32 = 0
                for shift in 0..<(bitWidth + 7) / 8 { value |= UInt32(try reader.byte()) << UInt32(8 * shift) }
                guard UInt64(value) <= mask else { throw ParquetFailure("corrupt RLE run") }
                guard run > 0 else { throw ParquetFailure("corrupt RLE run (empty)") }
                let take = min(run, count - produced)
                for _ in 0..<take { try body(value) }
                produced += take
            } else {
                let groups = Int(clamping: header >> 1)
                guard groups > 0, bitWidth == 0 || groups <= reader.remaining / bitWidth else {
                    throw ParquetFailure("page truncated (bit-packed run)")
                }
                var run = ByteCursor(try reader.take(groups * bitWidth))
                let take = min(count - produced, groups > (count - produced) / 8 ? count - produced : groups * 8)
                var accumulator: UInt64 = 0
                var bits = 0
                for _ in 0..<take {
                    while bits < bitWidth {
                        accumulator |= UInt64(try run.byte()) << UInt64(bits)
                        bits += 8
                    }
                    try body(UInt32(truncatingIfNeeded: accumulator & mask))
                    accumulator >>= UInt64(bitWidth)
                    bits -= bitWidth
                }
                produced += take
            }
        }
    }
}

/// A bounds-checked cursor over page bytes.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    private(set) var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var remaining: Int { bytes.count - position }

    mutating func byte() throws(ParquetFailure) -> UInt8 {
        guard position < bytes.count else { throw ParquetFailure("page truncated") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() throws(ParquetFailure) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw ParquetFailure("corrupt varint") }
            result |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func uint32() throws(ParquetFailure) -> UInt32 {
        guard remaining >= 4 else { throw ParquetFailure("page truncated") }
        defer { position += 4 }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self))
    }

    /// The next `count` bytes.
    mutating func take(_ count: Int) throws(ParquetFailure) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else { throw ParquetFailure("page truncated") }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
    }

    /// Everything left.
    mutating func rest() -> UnsafeRawBufferPointer {
        defer { position = bytes.count }
        return UnsafeRawBufferPointer(rebasing: bytes[position...])
    }
}
