import Sluice

extension CacheKeyTemplate {
    /// The first byte of every literal that follows a placeholder: the bytes that end a placeholder's text, so the
    /// ones a value must escape.
    var separators: [UInt8] {
        var result: [UInt8] = []
        var afterPlaceholder = false
        for part in parts {
            if case .literal(let bytes) = part {
                if afterPlaceholder, let first = bytes.first { result.append(first) }
                afterPlaceholder = false
            } else {
                afterPlaceholder = true
            }
        }
        return result
    }

    /// How this template's values and names are escaped.
    var escaping: CacheKeyEscaping { CacheKeyEscaping(separators: separators) }

    /// Checks that every key the template makes reads back into its parts: two placeholders must have literal text
    /// between them (`{symbol}{date}` cannot tell `AB`+`C` from `A`+`BC`).
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) naming the two placeholders.
    func checkDecodable(table: String) throws {
        var previous: Part?
        for part in parts {
            if let before = previous, Self.isPlaceholder(before), Self.isPlaceholder(part) {
                throw SluiceError(
                    .invalidRequest,
                    "key template '\(text)' for table '\(table)': \(Self.name(before)) and \(Self.name(part)) have "
                        + "nothing between them, so different rows could share a key (put a separator such as ':' "
                        + "between them)"
                )
            }
            previous = part
        }
    }

    /// The bytes every key of the table starts with: the template up to its first value placeholder, with the
    /// namespace and table written as keys write them.
    func leadingBytes(namespace: String, table: String, escaped: Bool) -> [UInt8] {
        let escaping = escaped ? self.escaping : nil
        var bytes: [UInt8] = []
        for part in parts {
            switch part {
            case .literal(let literal): bytes += literal
            case .namespace: Self.appendName(namespace, escaping: escaping, to: &bytes)
            case .table: Self.appendName(table, escaping: escaping, to: &bytes)
            case .key, .column: return bytes
            }
        }
        return bytes
    }

    /// The text of each column the template names, read back from `key`, or `nil` when `key` is not one of the
    /// table's keys. `escaped` says whether the table's keys escape their separators.
    func parts(
        of key: [UInt8],
        namespace: String,
        table: String,
        keyColumns: [String],
        escaped: Bool
    ) -> [String: [UInt8]]? {
        let escaping = escaped ? self.escaping : nil
        var pieces: [(literal: [UInt8]?, column: String?)] = []
        for part in parts {
            switch part {
            case .literal(let bytes): pieces.append((bytes, nil))
            case .namespace:
                var bytes: [UInt8] = []
                Self.appendName(namespace, escaping: escaping, to: &bytes)
                pieces.append((bytes, nil))
            case .table:
                var bytes: [UInt8] = []
                Self.appendName(table, escaping: escaping, to: &bytes)
                pieces.append((bytes, nil))
            case .column(let name): pieces.append((nil, name))
            case .key:
                for (position, column) in keyColumns.enumerated() {
                    if position > 0 { pieces.append(([UInt8(ascii: ":")], nil)) }
                    pieces.append((nil, column))
                }
            }
        }
        var offset = 0
        var values: [String: [UInt8]] = [:]
        for (index, piece) in pieces.enumerated() {
            if let literal = piece.literal {
                guard key[offset...].starts(with: literal) else { return nil }
                offset += literal.count
            } else if let column = piece.column {
                var end = key.count
                if index + 1 < pieces.count, let next = pieces[index + 1].literal {
                    guard let found = Self.find(next, in: key, from: offset, escaped: escaped) else { return nil }
                    end = found
                }
                let text = key[offset..<end]
                if escaped {
                    guard let plain = CacheKeyEscaping.unescaped(text) else { return nil }
                    if let previous = values[column], previous != plain { return nil }
                    values[column] = plain
                } else {
                    values[column] = Array(text)
                }
                offset = end
            }
        }
        return offset == key.count ? values : nil
    }

    private static func appendName(_ name: String, escaping: CacheKeyEscaping?, to bytes: inout [UInt8]) {
        if let escaping {
            escaping.append(Array(name.utf8), to: &bytes)
        } else {
            bytes += Array(name.utf8)
        }
    }

    /// Where `needle` first starts in `bytes` from `start` on; with `escaped`, only where its first byte is not
    /// escaped.
    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int, escaped: Bool) -> Int? {
        guard let head = needle.first else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if escaped {
                guard let found = CacheKeyEscaping.firstUnescaped(head, in: bytes, from: index) else { return nil }
                index = found
                guard index + needle.count <= bytes.count else { return nil }
            }
            if bytes[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private static func isPlaceholder(_ part: Part) -> Bool {
        if case .literal = part { return false }
        return true
    }

    private static func name(_ part: Part) -> String {
        switch part {
        case .literal(let bytes): return "'\(String(decoding: bytes, as: UTF8.self))'"
        case .namespace: return "{namespace}"
        case .table: return "{table}"
        case .key: return "{key}"
        case .column(let name): return "{\(name)}"
        }
    }
}
