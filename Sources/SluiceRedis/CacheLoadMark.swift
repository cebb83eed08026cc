import Foundation
import RESP
import Sluice

/// The durable mark of a keyed load under way: `{ns:table}:_sluice:pending`, set before the load writes its first
/// key and removed once its version is recorded.
///
/// A mark that the next load finds was left by a load that did not finish — killed, or failed with keys it could
/// not take back — and the table may hold keys no version records. That load repairs the table first
/// (``CacheTableRepair``). Before a load touches a key that existed (changed rows, deletions), it records those keys
/// under `{ns:table}:_sluice:pending:touched:<n>` (chunks in the key-state format) and says so in the mark, so that
/// the repair reads back only them.
struct CacheLoadMark: Codable, Sendable, Equatable {
    /// The load's id (its lock token).
    var load: String
    /// The version the load started from, if any.
    var parent: String?
    /// When it started, in milliseconds since 1970.
    var started: Int64
    /// How many chunks of touched keys it recorded: 0 until it began writing keys that existed.
    var touchedChunks: Int

    /// A mark for a load starting now.
    init(load: String, parent: String?) {
        self.load = load
        self.parent = parent
        started = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        touchedChunks = 0
    }

    /// The mark a dead load left on `keys`'s table, if any.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`targetFailure`) when the mark is not Sluice's.
    static func find(_ keys: CacheTableKeys, server: CacheServer) async throws -> CacheLoadMark? {
        let reply = try await server.send(RESPCommand("GET", .string(keys.pending)))
        guard !reply.isNull else { return nil }
        guard let mark = try? JSONDecoder().decode(Self.self, from: Data(CacheValueDecoder.bytes(reply))) else {
            throw SluiceError(
                .targetFailure,
                "table '\(keys.table)': \(keys.pending) is not a Sluice load mark (written by another tool?)"
            )
        }
        return mark
    }

    /// Writes the mark (before the load's first key).
    func write(_ keys: CacheTableKeys, server: CacheServer) async throws {
        let encoded = try JSONEncoder().encode(self)
        try await server.send(RESPCommand("SET", .string(keys.pending), .bytes(Array(encoded))))
    }

    /// Records `touched`, the keys that existed which the load is about to write or delete, then the mark that
    /// says so.
    mutating func recordTouched(_ touched: [[UInt8]], keys: CacheTableKeys, server: CacheServer) async throws {
        guard !touched.isEmpty else { return }
        var state = CacheTableState(capacity: touched.count)
        for key in touched { state.set(key, digest: .zero, rows: 1) }
        let chunks = state.encodeChunks()
        let writes = chunks.enumerated().map { index, chunk in
            RESPCommand("SET", .string(keys.pendingTouched(chunk: touchedChunks + index)), .bytes(chunk))
        }
        try RedisLoader.expectSuccess(try await server.pipeline(writes), table: keys.table)
        touchedChunks += chunks.count
        try await write(keys, server: server)
    }

    /// The touched keys the mark records.
    func touched(_ keys: CacheTableKeys, server: CacheServer) async throws -> [[UInt8]] {
        guard touchedChunks > 0 else { return [] }
        let names = (0..<touchedChunks).map { keys.pendingTouched(chunk: $0) }
        let replies = try await server.replies(names.map { RESPCommand("GET", .string($0)) })
        var state = CacheTableState()
        for (name, reply) in zip(names, replies) {
            guard !reply.isNull else {
                throw SluiceError(.targetFailure, "table '\(keys.table)': \(name) is missing (flushed or evicted?)")
            }
            try state.decode(chunk: CacheValueDecoder.bytes(reply), name: name)
        }
        return (0..<state.count).map(state.keyBytes(at:))
    }

    /// Removes the mark and its touched keys: the repair is done.
    func clear(_ keys: CacheTableKeys, server: CacheServer) async throws {
        let names = [keys.pending] + (0..<touchedChunks).map { keys.pendingTouched(chunk: $0) }
        try RedisLoader.expectSuccess(
            try await server.pipeline(names.map { RESPCommand("UNLINK", .string($0)) }),
            table: keys.table
        )
    }

    /// Removes whatever mark the table has, with its touched keys: the load that set it finished.
    static func clear(_ keys: CacheTableKeys, server: CacheServer) async throws {
        try await find(keys, server: server)?.clear(keys, server: server)
    }
}
