/// Cheap UTF-8 validation for text fields: callers skip it entirely for pure ASCII (the common case).
enum UTF8Validation {
    /// The offset of the first byte that is not valid UTF-8 in `bytes`, or `nil` when all of it is valid.
    static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var minimum: UInt32
            var scalar: UInt32
            switch byte {
            case 0xC2...0xDF:
                (length, minimum, scalar) = (2, 0x80, UInt32(byte & 0x1F))
            case 0xE0...0xEF:
                (length, minimum, scalar) = (3, 0x800, UInt32(byte & 0x0F))
            case 0xF0...0xF4:
                (length, minimum, scalar) = (4, 0x10000, UInt32(byte & 0x07))
            default:
                return index
            }
            guard index + length <= count else { return index }
            for offset in 1..<length {
                let next = bytes[index + offset]
                guard next & 0xC0 == 0x80 else { return index }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return index }
            index += length
        }
        return nil
    }

    /// The 1-based character column of `offset` counted from `lineStart` (continuation bytes do not count).
    static func column(of offset: Int, lineStart: Int, in base: UnsafePointer<UInt8>) -> Int {
        var column = 1
        var index = lineStart
        while index < offset {
            if base[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return column
    }

    /// `0xFF`: how a byte that is not valid UTF-8 is shown.
    static func hex(_ byte: UInt8) -> String {
        "0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }

    /// How a byte is shown in an error: `'x'` for printable ASCII, `0xFF` otherwise.
    static func describe(byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        if byte == 0x0A { return "end of line" }
        return "0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }
}
