import Sluice

/// One field of a CSV record: where its bytes are in the window and whether it was quoted.
struct CSVField {
    /// The first byte of the content (after an opening quote).
    var start: Int
    /// One past the last byte of the content (before a closing quote).
    var end: Int
    var isQuoted: Bool
    /// Whether the content holds doubled quotes to undo.
    var hasEscapedQuotes: Bool

    /// Whether the field has no content.
    var isEmpty: Bool { start == end }
}

/// Splits RFC 4180 text into records and fields, straight from the window's bytes.
///
/// Handles quoted fields with doubled quotes, delimiters and newlines inside quotes, LF, CRLF and CR line ends,
/// a UTF-8 byte order mark, and blank lines (skipped). Fields are validated as UTF-8 only when they contain
/// non-ASCII bytes. Structural problems throw ``Sluice/SluiceError`` (`malformedInput`) naming file, line and column.
struct CSVTokenizer {
    /// The file, for messages.
    let path: String
    let delimiter: UInt8
    let quote: UInt8
    /// The fields of the current record; offsets are valid until the next ``nextRecord()``.
    private(set) var fields: [CSVField] = []
    /// The 1-based line where the current record starts.
    private(set) var recordLine = 0
    /// The window offset where the current record starts.
    private(set) var recordStart = 0
    private(set) var window: ByteWindow
    private let maxSpecial: UInt8
    private var nextLine = 1
    private var checkedForBOM = false
    private let scratch = ScratchBuffer()

    enum Outcome {
        case record
        case blank
        case end
        case needMore
    }

    /// A tokenizer over `window` with the given delimiter and quote bytes.
    init(path: String, window: ByteWindow, delimiter: UInt8, quote: UInt8) {
        self.path = path
        self.window = window
        self.delimiter = delimiter
        self.quote = quote
        maxSpecial = max(delimiter, quote, 0x0D)
        fields.reserveCapacity(64)
    }

    /// Reads the next record into ``fields``; `false` at the end of the input.
    mutating func nextRecord() throws -> Bool {
        if !checkedForBOM { try skipByteOrderMark() }
        while true {
            switch try parseRecord() {
            case .record: return true
            case .blank: continue
            case .end: return false
            case .needMore:
                window.input.lineHint = nextLine
                _ = try window.refill()
            }
        }
    }

    /// The content of field `index`, doubled quotes undone. Valid until the next call.
    func field(_ index: Int) -> UnsafeRawBufferPointer {
        let field = fields[index]
        guard field.hasEscapedQuotes else { return window.bytes(field.start, field.end) }
        scratch.reset()
        var offset = field.start
        while offset < field.end {
            let byte = window.base[offset]
            scratch.append(byte)
            offset += byte == quote ? 2 : 1
        }
        return scratch.bytes(0, scratch.count)
    }

    /// The content of field `index` as a `String`.
    func fieldText(_ index: Int) -> String { String(decoding: field(index), as: UTF8.self) }

    /// The 1-based line and character column of window offset `offset` within the current record.
    func location(of offset: Int) -> (line: Int, column: Int) {
        location(of: offset, recordStart: recordStart, firstLine: recordLine)
    }

    private func location(of offset: Int, recordStart: Int, firstLine: Int) -> (line: Int, column: Int) {
        var line = firstLine
        var lineStart = recordStart
        var index = recordStart
        while index < offset {
            if window.base[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        return (line, UTF8Validation.column(of: offset, lineStart: lineStart, in: window.base))
    }

    private mutating func skipByteOrderMark() throws {
        while window.end - window.start < 3 && !window.isExhausted { _ = try window.refill() }
        checkedForBOM = true
        let base = window.base + window.start
        if window.end - window.start >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF {
            window.start += 3
        }
    }

    // MARK: Parsing

    private mutating func parseRecord() throws -> Outcome {
        let base = window.base
        let end = window.end
        let exhausted = window.isExhausted
        let start = window.start
        if start == end { return exhausted ? .end : .needMore }
        fields.removeAll(keepingCapacity: true)
        var offset = start
        var embeddedLines = 0
        while true {
            var terminator: UInt8 = 0
            if base[offset] == quote {
                let open = offset
                var index = open + 1
                var escaped = false
                var highBits: UInt8 = 0
                while true {
                    guard index < end else {
                        if exhausted { throw error(at: open, start, "unterminated quoted field (opened here)") }
                        return .needMore
                    }
                    let byte = base[index]
                    if byte == quote {
                        guard index + 1 < end else {
                            if exhausted { break }
                            return .needMore
                        }
                        if base[index + 1] != quote { break }
                        escaped = true
                        index += 2
                        continue
                    }
                    if byte == 0x0A { embeddedLines += 1 }
                    highBits |= byte
                    index += 1
                }
                if highBits & 0x80 != 0 { try validate(open + 1, index, start) }
                fields.append(CSVField(start: open + 1, end: index, isQuoted: true, hasEscapedQuotes: escaped))
                offset = index + 1
                if offset < end {
                    terminator = base[offset]
                    if terminator != delimiter && terminator != 0x0A && terminator != 0x0D {
                        throw error(
                            at: offset,
                            start,
                            "expected \(describe(delimiter)) or end of line after closing quote, found \(UTF8Validation.describe(byte: terminator))"
                        )
                    }
                } else if !exhausted {
                    return .needMore
                }
            } else {
                var index = offset
                var highBits: UInt8 = 0
                while index < end {
                    let byte = base[index]
                    if byte <= maxSpecial {
                        if byte == delimiter || byte == 0x0A || byte == 0x0D {
                            terminator = byte
                            break
                        }
                        if byte == quote {
                            throw error(
                                at: index,
                                start,
                                "unexpected \(UTF8Validation.describe(byte: quote)) in unquoted field (quote the field and double the quote)"
                            )
                        }
                    }
                    highBits |= byte
                    index += 1
                }
                if index == end && !exhausted { return .needMore }
                if highBits & 0x80 != 0 { try validate(offset, index, start) }
                fields.append(CSVField(start: offset, end: index, isQuoted: false, hasEscapedQuotes: false))
                offset = index
            }
            if terminator == delimiter {
                offset += 1
                if offset == end {
                    if !exhausted { return .needMore }
                    fields.append(CSVField(start: offset, end: offset, isQuoted: false, hasEscapedQuotes: false))
                    break
                }
                continue
            }
            if terminator == 0x0D {
                if offset + 1 < end {
                    offset += base[offset + 1] == 0x0A ? 2 : 1
                } else if exhausted {
                    offset += 1
                } else {
                    return .needMore
                }
                embeddedLines += 1
            } else if terminator == 0x0A {
                offset += 1
                embeddedLines += 1
            }
            break
        }
        recordStart = start
        recordLine = nextLine
        nextLine += embeddedLines
        window.start = offset
        if fields.count == 1 && !fields[0].isQuoted && fields[0].isEmpty { return .blank }
        return .record
    }

    private func validate(_ from: Int, _ to: Int, _ recordStart: Int) throws {
        guard let bad = UTF8Validation.firstInvalidOffset(window.bytes(from, to)) else { return }
        let byte = window.base[from + bad]
        throw error(at: from + bad, recordStart, "invalid UTF-8 byte \(UTF8Validation.hex(byte))")
    }

    private func error(at offset: Int, _ recordStart: Int, _ what: String) -> SluiceError {
        let (line, column) = location(of: offset, recordStart: recordStart, firstLine: nextLine)
        return SluiceError(.malformedInput, "\(path):\(line):\(column): \(what)")
    }

    private func describe(_ byte: UInt8) -> String {
        byte == 0x09 ? "tab" : UTF8Validation.describe(byte: byte)
    }
}
