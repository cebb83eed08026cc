import Sluice

/// Reads JSON (array of objects) or JSON Lines records into ``Sluice/RecordBatch``es of a known schema.
///
/// Keys map to columns by name; a missing key or `null` is NULL. A key that is not in the schema rejects the
/// row (`unknown key 'x'`): the schema is decided before reading (given, or inferred from the first rows) and
/// a key it lacks would otherwise be dropped silently. Values keep their exact text (`123.4500` loads as
/// `123.4500`); a json column receives any value's JSON text; an empty string is NULL in non-string columns.
struct JSONReader: RecordReader {
    let schema: Schema
    private var parser: JSONObjectParser
    private var builder: RecordBatchBuilder
    private let names: [[UInt8]]
    private let isJSONColumn: [Bool]
    private let isTextColumn: [Bool]
    private let batchSize: Int
    private var slots: [Int]
    private var isFinished = false

    /// A reader of `parser`'s objects into batches of `schema`.
    init(parser: JSONObjectParser, schema: Schema, batchSize: Int) {
        self.parser = parser
        self.schema = schema
        self.batchSize = max(1, batchSize)
        names = schema.columns.map { Array($0.name.utf8) }
        isJSONColumn = schema.columns.map { $0.type == .json }
        isTextColumn = schema.columns.map { $0.type == .string || $0.type == .json || $0.type == .bytes }
        slots = Array(repeating: -1, count: schema.columns.count)
        builder = RecordBatchBuilder(schema: schema, source: parser.path, capacity: self.batchSize)
    }

    mutating func next() throws -> RecordBatch? {
        while !isFinished && builder.count + builder.rejectCount < batchSize {
            guard try parser.nextObject() else {
                isFinished = true
                parser.window.input.close()
                break
            }
            appendObject()
        }
        guard builder.count + builder.rejectCount > 0 else { return nil }
        return builder.build()
    }

    private mutating func appendObject() {
        let line = parser.objectLine
        for index in slots.indices { slots[index] = -1 }
        var hint = 0
        for (index, member) in parser.members.enumerated() {
            guard let column = column(for: parser.bytes(member.key), hint: hint) else {
                let key = String(decoding: parser.bytes(member.key), as: UTF8.self)
                let (line, column) = parser.location(of: member.keyOffset)
                builder.rejectRow(
                    RowReject(
                        source: parser.path,
                        line: line,
                        position: column,
                        reason: "unknown key \(quotedForMessage(key)) (not in the schema)"
                    )
                )
                return
            }
            slots[column] = index
            hint = column + 1
        }
        for column in slots.indices {
            let index = slots[column]
            guard index >= 0 else {
                builder.appendNull(column: column)
                continue
            }
            let member = parser.members[index]
            let text: UnsafeRawBufferPointer
            switch member.kind {
            case .null:
                builder.appendNull(column: column)
                continue
            case .string where isJSONColumn[column]:
                text = parser.window.bytes(member.rawStart, member.rawEnd)
            case .string where member.text.start == member.text.end && !isTextColumn[column]:
                builder.appendNull(column: column)
                continue
            default:
                text = parser.bytes(member.text)
            }
            do {
                try builder.append(text: text, column: column, line: line)
            } catch {
                var reject = error
                (reject.line, reject.position) = parser.location(of: member.rawStart)
                builder.rejectRow(reject)
                return
            }
        }
        builder.endRow(line: line)
    }

    /// The column called `key`, trying `hint` first (keys usually come in schema order).
    private func column(for key: UnsafeRawBufferPointer, hint: Int) -> Int? {
        if hint < names.count && equal(names[hint], key) { return hint }
        for index in names.indices where index != hint && equal(names[index], key) { return index }
        return nil
    }

    private func equal(_ name: [UInt8], _ key: UnsafeRawBufferPointer) -> Bool {
        name.count == key.count && name.withUnsafeBytes { $0.elementsEqual(key) }
    }
}
