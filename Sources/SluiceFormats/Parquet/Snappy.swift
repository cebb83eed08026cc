/// Snappy raw blocks (the framing-less format Parquet's SNAPPY codec uses), written and read in Swift.
///
/// The compressor is a greedy matcher over a hash table of 4-byte sequences, in 64 KiB blocks (so every copy
/// offset fits two bytes), like the reference implementation but without its speed tricks.
enum Snappy {
    private static let blockSize = 1 << 16
    private static let hashBits = 14

    /// Appends the Snappy block for `input` to `output`.
    static func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        var length = UInt64(input.count)
        while length >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: length) | 0x80)
            length >>= 7
        }
        output.append(UInt8(length))
        guard let base = input.baseAddress, input.count > 0 else { return }
        var table = [Int32](repeating: -1, count: 1 << hashBits)
        var start = 0
        while start < input.count {
            let count = min(blockSize, input.count - start)
            compressBlock(UnsafeRawBufferPointer(start: base + start, count: count), table: &table, into: &output)
            start += count
        }
    }

    private static func compressBlock(
        _ block: UnsafeRawBufferPointer,
        table: inout [Int32],
        into output: inout [UInt8]
    ) {
        let count = block.count
        guard count >= 16 else {
            emitLiteral(block, into: &output)
            return
        }
        for index in table.indices { table[index] = -1 }
        var position = 0
        var literalStart = 0
        let last = count - 4
        while position <= last {
            let word = block.loadUnaligned(fromByteOffset: position, as: UInt32.self)
            let hash = Int((word &* 0x1E35_A7BD) >> (32 - UInt32(hashBits)))
            let candidate = Int(table[hash])
            table[hash] = Int32(position)
            guard candidate >= 0, block.loadUnaligned(fromByteOffset: candidate, as: UInt32.self) == word else {
                position += 1 + (position - literalStart) >> 5
                continue
            }
            if literalStart < position {
                emitLiteral(UnsafeRawBufferPointer(rebasing: block[literalStart..<position]), into: &output)
            }
            var length = 4
            while position + length + 8 <= count {
                let difference =
                    block.loadUnaligned(fromByteOffset: position + length, as: UInt64.self)
                    ^ block.loadUnaligned(fromByteOffset: candidate + length, as: UInt64.self)
                if difference != 0 {
                    length += difference.trailingZeroBitCount / 8
                    break
                }
                length += 8
            }
            if position + length + 8 > count {
                while position + length < count && block[position + length] == block[candidate + length] { length += 1 }
            }
            emitCopy(offset: position - candidate, length: length, into: &output)
            position += length
            literalStart = position
        }
        if literalStart < count {
            emitLiteral(UnsafeRawBufferPointer(rebasing: block[literalStart..<count]), into: &output)
        }
    }

    private static func emitLiteral(_ literal: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        let lengthMinusOne = literal.count - 1
        if lengthMinusOne < 60 {
            output.append(UInt8(lengthMinusOne) << 2)
        } else if lengthMinusOne < 1 << 8 {
            output.append(60 << 2)
            output.append(UInt8(lengthMinusOne))
        } else {
            output.append(61 << 2)
            output.append(UInt8(lengthMinusOne & 0xFF))
            output.append(UInt8(lengthMinusOne >> 8))
        }
        output.append(contentsOf: literal)
    }

    private static func emitCopy(offset: Int, length: Int, into output: inout [UInt8]) {
        var length = length
        while length >= 68 {
            emitCopy2(offset: offset, length: 64, into: &output)
            length -= 64
        }
        if length > 64 {
            emitCopy2(offset: offset, length: 60, into: &output)
            length -= 60
        }
        if length < 12 && offset < 2048 {
            output.append(UInt8(offset >> 8) << 5 | UInt8(length - 4) << 2 | 1)
            output.append(UInt8(offset & 0xFF))
        } else {
            emitCopy2(offset: offset, length: length, into: &output)
        }
    }

    private static func emitCopy2(offset: Int, length: Int, into output: inout [UInt8]) {
        output.append(UInt8(length - 1) << 2 | 2)
        output.append(UInt8(offset & 0xFF))
        output.append(UInt8(offset >> 8))
    }

    /// Decompresses a Snappy block that must expand to exactly `output.count` bytes.
    static func decompress(
        _ input: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws(ParquetFailure) {
        var position = 0
        var length: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < input.count, shift < 35 else { throw ParquetFailure("corrupt snappy page") }
            let byte = input[position]
            position += 1
            length |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        guard length == UInt64(output.count) else { throw ParquetFailure("snappy page size does not match its header") }
        var written = 0
        while position < input.count {
            let tag = input[position]
            position += 1
            if tag & 3 == 0 {
                var literal = Int(tag >> 2) + 1
                if literal > 60 {
                    let extra = literal - 60
                    guard position + extra <= input.count else { throw ParquetFailure("corrupt snappy page") }
                    literal = 0
                    for index in 0..<extra { literal |= Int(input[position + index]) << (8 * index) }
                    literal += 1
                    position += extra
                }
                guard literal <= input.count - position, literal <= output.count - written else {
                    throw ParquetFailure("corrupt snappy page")
                }
                (output.baseAddress! + written).copyMemory(from: input.baseAddress! + position, byteCount: literal)
                position += literal
                written += literal
                continue
            }
            let copyLength: Int
            let offset: Int
            switch tag & 3 {
            case 1:
                guard position < input.count else { throw ParquetFailure("corrupt snappy page") }
                copyLength = Int((tag >> 2) & 7) + 4
                offset = Int(tag >> 5) << 8 | Int(input[position])
                position += 1
            case 2:
                guard position + 2 <= input.count else { throw ParquetFailure("corrupt snappy page") }
                copyLength = Int(tag >> 2) + 1
                offset = Int(input[position]) | Int(input[position + 1]) << 8
                position += 2
            default:
                guard position + 4 <= input.count else { throw ParquetFailure("corrupt snappy page") }
                copyLength = Int(tag >> 2) + 1
                offset = Int(input.loadUnaligned(fromByteOffset: position, as: UInt32.self).littleEndian)
                position += 4
            }
            guard offset > 0, offset <= written, copyLength <= output.count - written else {
                throw ParquetFailure("corrupt snappy page")
            }
            for index in 0..<copyLength { output[written + index] = output[written - offset + index] }
            written += copyLength
        }
        guard written == output.count else { throw ParquetFailure("snappy page truncated") }
    }
}
