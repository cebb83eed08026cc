import Sluice
import SluiceFormats

/// How a row's Redis key is made: a template of literal text and `{placeholders}`.
///
/// The default is `{namespace}:{table}:{key}`: `sluice:prices:AAPL:2024-01-02`. Placeholders: `{namespace}`,
/// `{table}`, `{key}` (the key columns' values joined by `:`), and `{COLUMN}` for any column of the table (its
/// canonical text: decimals at the column's scale, dates `YYYY-MM-DD`). `{{` and `}}` are literal braces — write
/// a Redis Cluster hash tag as `price:{{{symbol}}}:{date}` → `price:{AAPL}:2024-01-02`. A template must name
/// every key column (through `{key}` or one by one), and put literal text between any two placeholders, so that
/// different keys never share a Redis key: values are escaped (``CacheKeyEscaping``), and a key reads back into
/// its parts.
public struct CacheKeyTemplate: Sendable, Hashable, CustomStringConvertible {
    /// One piece of a template.
    enum Part: Sendable, Hashable {
        case literal([UInt8])
        case namespace
        case table
        case key
        case column(String)
    }

    /// The template's text, as given.
    public let text: String
    let parts: [Part]

    /// `{namespace}:{table}:{key}`.
    public static let standard = try! CacheKeyTemplate("{namespace}:{table}:{key}")

    /// Parses `text`.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) for an unclosed or empty placeholder, or a lone `}`.
    public init(_ text: String) throws {
        self.text = text
        var parts: [Part] = []
        var literal: [UInt8] = []
        let bytes = Array(text.utf8)
        var index = 0
        func flush() {
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = []
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "{") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "{") {
                literal.append(byte)
                index += 2
            } else if byte == UInt8(ascii: "}") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "}") {
                literal.append(byte)
                index += 2
            } else if byte == UInt8(ascii: "{") {
                guard let close = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "}")) else {
                    throw SluiceError(.invalidRequest, "key template '\(text)': '{' at \(index + 1) is not closed")
                }
                let name = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                guard !name.isEmpty else {
                    throw SluiceError(.invalidRequest, "key template '\(text)': empty placeholder at \(index + 1)")
                }
                flush()
                switch name {
                case "namespace": parts.append(.namespace)
                case "table": parts.append(.table)
                case "key": parts.append(.key)
                default: parts.append(.column(name))
                }
                index = close + 1
            } else if byte == UInt8(ascii: "}") {
                throw SluiceError(
                    .invalidRequest,
                    "key template '\(text)': '}' at \(index + 1) closes nothing (write '}}' for a literal brace)"
                )
            } else {
                literal.append(byte)
                index += 1
            }
        }
        flush()
        self.parts = parts
    }

    public var description: String { text }

    /// Checks the template against a table: every `{COLUMN}` exists, and every key column is named.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) naming the column.
    public func check(schema: Schema, keyColumns: [String], table: String) throws {
        var named: Set<String> = []
        for part in parts {
            switch part {
            case .column(let name):
                guard schema.column(named: name) != nil else {
                    throw SluiceError(
                        .invalidRequest,
                        "key template '\(text)': table '\(table)' has no column '\(name)' "
                            + "(columns: \(schema.columnNames.joined(separator: ", ")))"
                    )
                }
                named.insert(name)
            case .key: named.formUnion(keyColumns)
            default: break
            }
        }
        if keyColumns.isEmpty {
            throw SluiceError(.invalidKey, "table '\(table)': a cache target needs key columns (--key)")
        }
        for column in keyColumns where !named.contains(column) {
            throw SluiceError(
                .invalidRequest,
                "key template '\(text)' does not name key column '\(column)': different rows would share a key "
                    + "(use {key} or {\(column)})"
            )
        }
    }

    /// A renderer of keys for rows of `schema` in `table` under `namespace`; `escaped` (the default) escapes the
    /// separators in values and names (``CacheKeyEscaping``), `false` writes them as they are, as tables created
    /// before escaping existed do.
    public func renderer(
        namespace: String,
        table: String,
        schema: Schema,
        keyColumns: [String],
        escaped: Bool = true
    ) -> Renderer {
        Renderer(
            template: self,
            namespace: namespace,
            table: table,
            schema: schema,
            keyColumns: keyColumns,
            escaping: escaped ? escaping : nil
        )
    }

    /// Makes the keys of rows, appending bytes without a `String` per key.
    public struct Renderer: Sendable {
        private enum Piece: Sendable {
            case bytes([UInt8])
            case column(Int)
            case key
        }

        private let pieces: [Piece]
        private let keyIndices: [Int]
        private let escaping: CacheKeyEscaping?

        init(
            template: CacheKeyTemplate,
            namespace: String,
            table: String,
            schema: Schema,
            keyColumns: [String],
            escaping: CacheKeyEscaping?
        ) {
            keyIndices = keyColumns.compactMap { schema.index(of: $0) }
            self.escaping = escaping
            func name(_ text: String) -> [UInt8] {
                guard let escaping else { return Array(text.utf8) }
                var bytes: [UInt8] = []
                escaping.append(Array(text.utf8), to: &bytes)
                return bytes
            }
            var pieces: [Piece] = []
            func literal(_ bytes: [UInt8]) {
                if case .bytes(let previous)? = pieces.last {
                    pieces[pieces.count - 1] = .bytes(previous + bytes)
                } else {
                    pieces.append(.bytes(bytes))
                }
            }
            for part in template.parts {
                switch part {
                case .literal(let bytes): literal(bytes)
                case .namespace: literal(name(namespace))
                case .table: literal(name(table))
                case .key: pieces.append(.key)
                case .column(let name): pieces.append(.column(schema.index(of: name) ?? 0))
                }
            }
            self.pieces = pieces
        }

        /// Appends the key of row `row` of `batch`.
        public func append(row: Int, of batch: RecordBatch, to bytes: inout [UInt8]) {
            for piece in pieces {
                switch piece {
                case .bytes(let literal): bytes.append(contentsOf: literal)
                case .column(let index): appendValue(column: index, row: row, of: batch, to: &bytes)
                case .key:
                    for (position, index) in keyIndices.enumerated() {
                        if position > 0 { bytes.append(UInt8(ascii: ":")) }
                        appendValue(column: index, row: row, of: batch, to: &bytes)
                    }
                }
            }
        }

        private func appendValue(column: Int, row: Int, of batch: RecordBatch, to bytes: inout [UInt8]) {
            let start = bytes.count
            JSONRowEncoder.appendText(batch.columns[column], row: row, to: &bytes)
            escaping?.escapeTail(of: &bytes, from: start)
        }

        /// The key of row `row` of `batch` as text.
        public func key(row: Int, of batch: RecordBatch) -> String {
            var bytes: [UInt8] = []
            append(row: row, of: batch, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
