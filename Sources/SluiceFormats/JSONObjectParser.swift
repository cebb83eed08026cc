import Sluice

/// A streaming, byte-level JSON parser for record files: a top-level array of objects, or objects one after
/// another (JSON Lines; blank lines skipped).
///
/// Each top-level object is parsed whole from the window; when the window ends inside one, the parser refills
/// and parses that object again, so memory holds one object at a time. Strings are unescaped (all escapes,
/// `\uXXXX` with surrogate pairs) and validated as UTF-8; numbers keep their exact text; nested objects and
/// arrays are validated and kept as JSON text. Syntax errors throw ``Sluice/SluiceError`` (`malformedInput`) with the
/// file, line and column.
struct JSONObjectParser {
    /// The file, for messages.
    let path: String
    /// The members of the current object; spans are valid until the next ``nextObject()``.
    private(set) var members: [JSONMember] = []
    /// The 1-based line where the current object starts.
    private(set) var objectLine = 0
    /// The window offset of the current object's `{`.
    private(set) var objectStart = 0
    private(set) var window: ByteWindow
    let scratch = ScratchBuffer()
    var position = TextPosition()
    private var layout = Layout.unknown
    private var isFinished = false

    /// Maximum nesting of objects and arrays.
    static let maximumDepth = 512

    /// Where the parser is in the file's top-level structure.
    enum Layout {
        case unknown
        case arrayStart
        case arrayRest
        case sequence
    }

    /// A parser over `window`.
    init(path: String, window: ByteWindow) {
        self.path = path
        self.window = window
        members.reserveCapacity(32)
    }

    /// Parses the next top-level object into ``members``; `false` at the end of the input.
    mutating func nextObject() throws -> Bool {
        while !isFinished {
            let saved = (position, layout)
            do {
                return try parseNext()
            } catch .needMore {
                (position, layout) = saved
                window.input.lineHint = position.line
                position.rebase(to: window.start, in: window.base)
                _ = try window.refill()
                position.shift(by: window.lastShift)
            } catch .syntax(let offset, let message) {
                let column = position.column(of: offset, in: window.base)
                throw SluiceError(.malformedInput, "\(path):\(position.line):\(column): \(message)")
            }
        }
        return false
    }

    /// The bytes of `span`.
    func bytes(_ span: JSONSpan) -> UnsafeRawBufferPointer {
        span.inScratch ? scratch.bytes(span.start, span.end) : window.bytes(span.start, span.end)
    }

    /// The 1-based line and column of `offset` in the current object.
    func location(of offset: Int) -> (line: Int, column: Int) {
        var line = objectLine
        var column = objectColumn
        var index = objectStart
        while index < offset {
            let byte = window.base[index]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        return (line, column)
    }

    private var objectColumn = 1

    // MARK: Top level

    private mutating func parseNext() throws(JSONStop) -> Bool {
        var offset = window.start
        skipWhitespace(&offset)
        if layout == .unknown {
            guard offset < window.end else { return try endOfInput(offset) }
            if window.base[offset] == UInt8(ascii: "[") {
                layout = .arrayStart
                offset += 1
                skipWhitespace(&offset)
            } else {
                layout = .sequence
            }
        }
        switch layout {
        case .arrayStart, .arrayRest:
            guard offset < window.end else { return try endOfInput(offset) }
            let byte = window.base[offset]
            if byte == UInt8(ascii: "]") {
                return try finishArray(after: offset + 1)
            }
            if layout == .arrayRest {
                guard byte == UInt8(ascii: ",") else {
                    throw syntax(offset, "expected ',' or ']' after array element, found \(found(offset))")
                }
                offset += 1
                skipWhitespace(&offset)
            }
            try parseRecord(&offset)
            layout = .arrayRest
        case .sequence, .unknown:
            guard offset < window.end else { return try endOfInput(offset) }
            try parseRecord(&offset)
        }
        window.start = offset
        return true
    }

    private mutating func endOfInput(_ offset: Int) throws(JSONStop) -> Bool {
        guard window.isExhausted else { throw .needMore }
        if layout == .arrayStart || layout == .arrayRest {
            throw syntax(offset, "unexpected end of input: the top-level array is not closed with ']'")
        }
        isFinished = true
        window.start = offset
        return false
    }

    private mutating func finishArray(after closing: Int) throws(JSONStop) -> Bool {
        var offset = closing
        skipWhitespace(&offset)
        if offset == window.end && !window.isExhausted { throw .needMore }
        if offset < window.end {
            throw syntax(offset, "unexpected \(found(offset)) after the top-level array")
        }
        isFinished = true
        window.start = offset
        return false
    }

    private mutating func parseRecord(_ offset: inout Int) throws(JSONStop) {
        guard offset < window.end else {
            throw window.isExhausted ? syntax(offset, "unexpected end of input") : .needMore
        }
        guard window.base[offset] == UInt8(ascii: "{") else {
            throw syntax(offset, "expected '{' to start an object, found \(found(offset))")
        }
        objectStart = offset
        objectLine = position.line
        objectColumn = position.column(of: offset, in: window.base)
        members.removeAll(keepingCapacity: true)
        scratch.reset()
        try parseObject(&offset, depth: 1, isRecord: true)
    }

    // MARK: Objects and arrays

    mutating func parseObject(_ offset: inout Int, depth: Int, isRecord: Bool) throws(JSONStop) {
        guard depth <= Self.maximumDepth else {
            throw syntax(offset, "nesting deeper than \(Self.maximumDepth) levels")
        }
        offset += 1
        skipWhitespace(&offset)
        if try peek(offset) == UInt8(ascii: "}") {
            offset += 1
            return
        }
        while true {
            guard try peek(offset) == UInt8(ascii: "\"") else {
                throw syntax(offset, "expected '\"' to start a member name, found \(found(offset))")
            }
            let keyOffset = offset
            let key = try parseString(&offset, store: isRecord)
            skipWhitespace(&offset)
            guard try peek(offset) == UInt8(ascii: ":") else {
                throw syntax(offset, "expected ':' after member name, found \(found(offset))")
            }
            offset += 1
            skipWhitespace(&offset)
            let rawStart = offset
            let (kind, text) = try parseValue(&offset, depth: depth, store: isRecord)
            if isRecord {
                members.append(
                    JSONMember(
                        key: key,
                        keyOffset: keyOffset,
                        kind: kind,
                        text: text,
                        rawStart: rawStart,
                        rawEnd: offset
                    )
                )
            }
            skipWhitespace(&offset)
            let next = try peek(offset)
            offset += 1
            if next == UInt8(ascii: ",") {
                skipWhitespace(&offset)
                continue
            }
            if next == UInt8(ascii: "}") { return }
            throw syntax(offset - 1, "expected ',' or '}' after object member, found \(found(offset - 1))")
        }
    }

    private mutating func parseArray(_ offset: inout Int, depth: Int) throws(JSONStop) {
        guard depth <= Self.maximumDepth else {
            throw syntax(offset, "nesting deeper than \(Self.maximumDepth) levels")
        }
        offset += 1
        skipWhitespace(&offset)
        if try peek(offset) == UInt8(ascii: "]") {
            offset += 1
            return
        }
        while true {
            _ = try parseValue(&offset, depth: depth, store: false)
            skipWhitespace(&offset)
            let next = try peek(offset)
            offset += 1
            if next == UInt8(ascii: ",") {
                skipWhitespace(&offset)
                continue
            }
            if next == UInt8(ascii: "]") { return }
            throw syntax(offset - 1, "expected ',' or ']' after array element, found \(found(offset - 1))")
        }
    }

    /// Parses any value; nested objects and arrays are validated and spanned as JSON text.
    mutating func parseValue(_ offset: inout Int, depth: Int, store: Bool) throws(JSONStop) -> (JSONValueKind, JSONSpan)
    {
        let start = offset
        switch try peek(offset) {
        case UInt8(ascii: "\""):
            return (.string, try parseString(&offset, store: store))
        case UInt8(ascii: "{"):
            try parseObject(&offset, depth: depth + 1, isRecord: false)
            return (.nested, JSONSpan(start: start, end: offset, inScratch: false))
        case UInt8(ascii: "["):
            try parseArray(&offset, depth: depth + 1)
            return (.nested, JSONSpan(start: start, end: offset, inScratch: false))
        case UInt8(ascii: "t"):
            try parseLiteral(&offset, "true")
            return (.bool, JSONSpan(start: start, end: offset, inScratch: false))
        case UInt8(ascii: "f"):
            try parseLiteral(&offset, "false")
            return (.bool, JSONSpan(start: start, end: offset, inScratch: false))
        case UInt8(ascii: "n"):
            try parseLiteral(&offset, "null")
            return (.null, JSONSpan(start: start, end: offset, inScratch: false))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try parseNumber(&offset)
            return (.number, JSONSpan(start: start, end: offset, inScratch: false))
        default:
            throw syntax(offset, "expected a value, found \(found(offset))")
        }
    }

    // MARK: Helpers

    /// The byte at `offset`, or a stop at the end of the window.
    func peek(_ offset: Int) throws(JSONStop) -> UInt8 {
        guard offset < window.end else {
            throw window.isExhausted ? syntax(offset, "unexpected end of input") : .needMore
        }
        return window.base[offset]
    }

    /// Skips spaces, tabs, carriage returns and newlines, counting lines.
    mutating func skipWhitespace(_ offset: inout Int) {
        let base = window.base
        let end = window.end
        while offset < end {
            switch base[offset] {
            case 0x20, 0x09, 0x0D:
                offset += 1
            case 0x0A:
                offset += 1
                position.newline(at: offset)
            default:
                return
            }
        }
    }

    func syntax(_ offset: Int, _ message: String) -> JSONStop {
        .syntax(offset: offset, message: message)
    }

    /// How the byte at `offset` is shown in an error: `'x'`, `'é'`, `0xFF` or `end of input`.
    func found(_ offset: Int) -> String {
        guard offset < window.end else { return "end of input" }
        let byte = window.base[offset]
        guard byte >= 0x80 else { return UTF8Validation.describe(byte: byte) }
        let available = window.bytes(offset, min(window.end, offset + 4))
        if UTF8Validation.firstInvalidOffset(available) != 0,
            let character = String(decoding: available, as: UTF8.self).first
        {
            return "'\(character)'"
        }
        return UTF8Validation.describe(byte: byte)
    }
}
