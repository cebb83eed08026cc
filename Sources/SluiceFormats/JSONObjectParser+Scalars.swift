extension JSONObjectParser {
    /// Parses a string at `offset` (its opening quote). Without escapes its span is in the window; with escapes
    /// the unescaped text goes to the scratch buffer when `store` is set (else it is only validated).
    mutating func parseString(_ offset: inout Int, store: Bool) throws(JSONStop) -> JSONSpan {
        let base = window.base
        let end = window.end
        let contentStart = offset + 1
        var index = contentStart
        var highBits: UInt8 = 0
        while true {
            guard index < end else { throw endOfString(index) }
            let byte = base[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                return try parseEscapedString(&offset, from: index, contentStart: contentStart, store: store)
            }
            if byte < 0x20 { throw controlCharacter(index) }
            highBits |= byte
            index += 1
        }
        if highBits & 0x80 != 0 { try validateUTF8(contentStart, index) }
        offset = index + 1
        return JSONSpan(start: contentStart, end: index, inScratch: false)
    }

    private mutating func parseEscapedString(
        _ offset: inout Int,
        from escape: Int,
        contentStart: Int,
        store: Bool
    ) throws(JSONStop) -> JSONSpan {
        let base = window.base
        let end = window.end
        try validateUTF8(contentStart, escape)
        let scratchStart = scratch.count
        if store { scratch.append(window.bytes(contentStart, escape)) }
        var index = escape
        var runStart = escape
        while true {
            guard index < end else { throw endOfString(index) }
            let byte = base[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw controlCharacter(index) }
            guard byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            try validateUTF8(runStart, index)
            if store { scratch.append(window.bytes(runStart, index)) }
            index = try parseEscape(at: index, store: store)
            runStart = index
        }
        try validateUTF8(runStart, index)
        if store { scratch.append(window.bytes(runStart, index)) }
        offset = index + 1
        return JSONSpan(start: scratchStart, end: scratch.count, inScratch: true)
    }

    /// Decodes the escape at `index` (its backslash); returns the offset after it.
    private mutating func parseEscape(at index: Int, store: Bool) throws(JSONStop) -> Int {
        let code = try peek(index + 1)
        let simple: UInt8?
        switch code {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): simple = code
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default: throw syntax(index, "invalid escape '\\\(Character(Unicode.Scalar(code)))' in string")
        }
        if let simple {
            if store { scratch.append(simple) }
            return index + 2
        }
        var unit = try hexQuad(at: index + 2)
        var next = index + 6
        if (0xDC00...0xDFFF).contains(unit) { throw syntax(index, "invalid \\u escape: lone low surrogate") }
        if (0xD800...0xDBFF).contains(unit) {
            guard try peek(next) == UInt8(ascii: "\\"), try peek(next + 1) == UInt8(ascii: "u") else {
                throw syntax(index, "invalid \\u escape: high surrogate without a low surrogate")
            }
            let low = try hexQuad(at: next + 2)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw syntax(next, "invalid \\u escape: high surrogate without a low surrogate")
            }
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            next += 6
        }
        if store, let scalar = Unicode.Scalar(unit) {
            for byte in UTF8.encode(scalar)! { scratch.append(byte) }
        }
        return next
    }

    private func hexQuad(at index: Int) throws(JSONStop) -> UInt32 {
        var value: UInt32 = 0
        for position in index..<(index + 4) {
            let byte = try peek(position)
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw syntax(position, "invalid \\u escape: expected 4 hex digits, found \(found(position))")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Parses a number, checking JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    mutating func parseNumber(_ offset: inout Int) throws(JSONStop) {
        var index = offset
        if try peek(index) == UInt8(ascii: "-") { index += 1 }
        let firstDigit = index
        index = try digits(from: index)
        if index == firstDigit { throw syntax(index, "expected a digit, found \(found(index))") }
        if window.base[firstDigit] == UInt8(ascii: "0") && index - firstDigit > 1 {
            throw syntax(firstDigit, "leading zero in number")
        }
        if try peekNumberByte(index) == UInt8(ascii: ".") {
            let fraction = index + 1
            index = try digits(from: fraction)
            if index == fraction { throw syntax(index, "expected a digit after '.', found \(found(index))") }
        }
        if let byte = try peekNumberByte(index), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            index += 1
            if let sign = try peekNumberByte(index), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                index += 1
            }
            let exponent = index
            index = try digits(from: exponent)
            if index == exponent { throw syntax(index, "expected a digit in exponent, found \(found(index))") }
        }
        offset = index
    }

    /// The byte at `index`, `nil` at the true end of input; a stop when the window ends first.
    private func peekNumberByte(_ index: Int) throws(JSONStop) -> UInt8? {
        if index < window.end { return window.base[index] }
        if window.isExhausted { return nil }
        throw .needMore
    }

    private func digits(from start: Int) throws(JSONStop) -> Int {
        var index = start
        while let byte = try peekNumberByte(index), byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
            index += 1
        }
        return index
    }

    /// Parses `true`, `false` or `null`.
    mutating func parseLiteral(_ offset: inout Int, _ literal: StaticString) throws(JSONStop) {
        let bytes = UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for (position, expected) in bytes.enumerated() {
            let byte = try peek(offset + position)
            guard byte == expected else {
                throw syntax(offset, "expected a value, found \(found(offset))")
            }
        }
        offset += bytes.count
    }

    private func validateUTF8(_ from: Int, _ to: Int) throws(JSONStop) {
        guard from < to, let bad = UTF8Validation.firstInvalidOffset(window.bytes(from, to)) else { return }
        let byte = window.base[from + bad]
        throw syntax(from + bad, "invalid UTF-8 byte \(UTF8Validation.hex(byte))")
    }

    private func endOfString(_ index: Int) -> JSONStop {
        window.isExhausted ? syntax(index, "unterminated string") : .needMore
    }

    private func controlCharacter(_ index: Int) -> JSONStop {
        let byte = window.base[index]
        return syntax(index, byte == 0x0A ? "unescaped newline in string" : "unescaped control character in string")
    }
}
