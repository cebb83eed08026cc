/// Decodes `count` PLAIN values from a page.
typealias ParquetPlainDecoder<T> = (inout ByteCursor, Int) throws(ParquetFailure) -> [T]

/// How a column's values are decoded into the Sluice element type `T`.
struct ParquetValuePlan<T> {
    /// PLAIN values (also the dictionary page).
    var plain: ParquetPlainDecoder<T>
    /// Booleans as 1-bit values (the RLE encoding of BOOLEAN columns); `nil` for other types.
    var fromBit: ((Bool) -> T)?
}

/// PLAIN decoders per physical type, each with a conversion to the element type read.
enum ParquetPlain {
    static func booleans() -> ParquetPlainDecoder<Bool> {
        { cursor, count throws(ParquetFailure) in
            let bytes = try cursor.take((count + 7) / 8)
            var result: [Bool] = []
            result.reserveCapacity(count)
            for index in 0..<count { result.append(bytes[index >> 3] & (1 << UInt8(index & 7)) != 0) }
            return result
        }
    }

    static func fixed<Raw: FixedWidthInteger, T>(
        _ raw: Raw.Type,
        _ transform: @escaping (Raw) throws(ParquetFailure) -> T
    ) -> ParquetPlainDecoder<T> {
        { cursor, count throws(ParquetFailure) in
            let size = MemoryLayout<Raw>.size
            guard count <= cursor.remaining / size else { throw ParquetFailure("page truncated") }
            let bytes = try cursor.take(count * size)
            var result: [T] = []
            result.reserveCapacity(count)
            for index in 0..<count {
                result.append(
                    try transform(Raw(littleEndian: bytes.loadUnaligned(fromByteOffset: index * size, as: Raw.self)))
                )
            }
            return result
        }
    }

    static func int96Timestamps() -> ParquetPlainDecoder<Int64> {
        { cursor, count throws(ParquetFailure) in
            guard count <= cursor.remaining / 12 else { throw ParquetFailure("page truncated") }
            let bytes = try cursor.take(count * 12)
            var result: [Int64] = []
            result.reserveCapacity(count)
            for index in 0..<count {
                let nanoseconds = Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 12, as: Int64.self))
                let julianDay = Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 12 + 8, as: Int32.self))
                let days = Int64(julianDay) - 2_440_588
                result.append(days &* 86_400_000_000 &+ nanoseconds / 1000)
            }
            return result
        }
    }

    static func byteArrays<T>(
        _ transform: @escaping (UnsafeRawBufferPointer) throws(ParquetFailure) -> T
    ) -> ParquetPlainDecoder<T> {
        { cursor, count throws(ParquetFailure) in
            guard count <= cursor.remaining / 4 else { throw ParquetFailure("page truncated") }
            var result: [T] = []
            result.reserveCapacity(count)
            for _ in 0..<count {
                let length = try cursor.uint32()
                result.append(try transform(try cursor.take(Int(length))))
            }
            return result
        }
    }

    static func fixedLengthArrays<T>(
        width: Int,
        _ transform: @escaping (UnsafeRawBufferPointer) throws(ParquetFailure) -> T
    ) -> ParquetPlainDecoder<T> {
        { cursor, count throws(ParquetFailure) in
            guard width > 0 else { throw ParquetFailure("fixed-length column without a length") }
            guard count <= cursor.remaining / width else { throw ParquetFailure("page truncated") }
            var result: [T] = []
            result.reserveCapacity(count)
            for _ in 0..<count { result.append(try transform(try cursor.take(width))) }
            return result
        }
    }

    /// A big-endian two's complement integer of up to 16 bytes.
    static func bigEndianInteger(_ bytes: UnsafeRawBufferPointer) throws(ParquetFailure) -> Int128 {
        guard bytes.count <= 16 else { throw ParquetFailure("decimal wider than 16 bytes") }
        guard let first = bytes.first else { return 0 }
        var value: Int128 = first & 0x80 != 0 ? -1 : 0
        for byte in bytes { value = value << 8 | Int128(byte) }
        return value
    }
}
