import NIOCore
import RESP
import Sluice
import SluiceFormats

/// Turns what a cache table's keys hold back into rows of the table's schema: JSON through the JSON file reader,
/// MessagePack, a hash's fields, a stream's entries, or a plain string (its key columns read back from the key).
struct CacheValueDecoder {
    let layout: CacheTableLayout
    let schema: Schema
    let namespace: String
    let table: String

    /// The command that reads one key (`GET`, `HGETALL`, or `XRANGE` from `start`).
    func command(forKey key: String, streamStart start: String = "-") -> RESPCommand {
        if layout.isStream { return RESPCommand("XRANGE", .string(key), .string(start), "+", "COUNT", 10_000) }
        return layout.format == .hash ? RESPCommand("HGETALL", .string(key)) : RESPCommand("GET", .string(key))
    }

    /// Adds the rows `reply` (the answer to ``command(forKey:streamStart:)``) holds for `key` to `builder`, and
    /// returns a problem, if the value cannot be read as a row of the table.
    func append(
        _ reply: RESPValue,
        key: String,
        to builder: inout RecordBatchBuilder,
        json: inout [UInt8]
    ) -> String? {
        do {
            if layout.isStream {
                for entry in reply.elements ?? [] {
                    guard let parts = entry.elements, parts.count == 2, let fields = parts[1].elements else {
                        return "stream \(key): an entry is not an id and fields"
                    }
                    try appendFields(fields, to: &builder)
                }
                return nil
            }
            switch layout.format {
            case .hash:
                try appendFields(reply.elements ?? [], to: &builder)
            case .json:
                json += Self.bytes(reply)
                json.append(0x0A)
            case .messagePack:
                var reader = MessagePackReader(Self.bytes(reply))
                let entries = try reader.readMap()
                var values = [Value](repeating: .null, count: schema.columns.count)
                for entry in entries {
                    guard let index = schema.index(of: entry.name) else {
                        return "key \(key): field '\(entry.name)' is not a column of table '\(table)'"
                    }
                    values[index] = entry.value
                }
                for (index, value) in values.enumerated() { try builder.append(value, column: index) }
                builder.endRow(line: 0)
            case .string(let named):
                guard let parts = keyParts(key) else {
                    return "key \(key): does not match key template '\(layout.template)'"
                }
                let valueColumn = named ?? schema.columns.first { !schema.keyColumns.contains($0.name) }?.name
                var values = parts
                if let valueColumn { values[valueColumn] = Self.bytes(reply) }
                for (index, column) in schema.columns.enumerated() {
                    // An empty value is NULL in a column that cannot hold empty text (a NULL decimal, say).
                    let isText = column.type == .string || column.type == .json || column.type == .bytes
                    guard let text = values[column.name], isText || !text.isEmpty else {
                        builder.appendNull(column: index)
                        continue
                    }
                    try Self.append(text, column: index, to: &builder)
                }
                builder.endRow(line: 0)
            }
            return nil
        } catch let reject as RowReject {
            builder.rejectRow(reject)
            return "key \(key): \(reject.reason)"
        } catch {
            builder.rejectRow(RowReject(source: key, line: 0, reason: "\(error)"))
            return "key \(key): \(error)"
        }
    }

    /// Field names and values alternating, as a hash or a stream entry holds them.
    private func appendFields(_ fields: [RESPValue], to builder: inout RecordBatchBuilder) throws {
        var values = [[UInt8]?](repeating: nil, count: schema.columns.count)
        var index = 0
        while index + 1 < fields.count {
            guard let name = fields[index].string, let column = schema.index(of: name) else {
                throw RowReject(
                    source: table,
                    line: 0,
                    reason: "field '\(fields[index].string ?? "?")' is not a column"
                )
            }
            values[column] = Self.bytes(fields[index + 1])
            index += 2
        }
        for (column, value) in values.enumerated() {
            guard let value else {
                builder.appendNull(column: column)
                continue
            }
            try Self.append(value, column: column, to: &builder)
        }
        builder.endRow(line: 0)
    }

    /// Rows from the JSON values gathered by ``append(_:key:to:json:)``.
    func decodeJSON(_ json: [UInt8]) throws -> RecordBatch {
        try JSONLines.decode(json, schema: schema, source: "\(namespace):\(table)")
    }

    /// Appends `text` to `column` of the row being built.
    private static func append(
        _ text: [UInt8],
        column: Int,
        to builder: inout RecordBatchBuilder
    ) throws(RowReject) {
        var text = text
        let count = text.count
        try text.withUnsafeMutableBufferPointer { (buffer) throws(RowReject) in
            try builder.append(
                text: UnsafeRawBufferPointer(start: buffer.baseAddress, count: count),
                column: column,
                line: 0
            )
        }
    }

    static func bytes(_ reply: RESPValue) -> [UInt8] {
        guard case .bulkString(let buffer) = reply else { return Array((reply.string ?? "").utf8) }
        return Array(buffer.readableBytesView)
    }

    /// The text of each column the key template names, read back from `key`.
    func keyParts(_ key: String) -> [String: [UInt8]]? {
        layout.template.parts(
            of: Array(key.utf8),
            namespace: namespace,
            table: table,
            keyColumns: schema.keyColumns,
            escaped: layout.escapesKeys
        )
    }
}
