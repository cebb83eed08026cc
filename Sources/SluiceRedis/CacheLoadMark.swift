import Foundation
import RESP
import Sluice

/// The durable mark of a keyed load under way: `{ns:table}:_sluice:pending`, set before the load writes its first
/// key and removed once its version is recorded (or once a failed load took back every key it wrote).
///
/// A mark that the next load finds was left by a load that did not finish — killed, or failed with keys it could
/// not take back — and the table may hold keys no version records. That load repairs the table first
/// (``CacheTableRepair``). Before a load writes or deletes keys that existed (changed rows, deletions), it says so
/// in its mark (``touchesExisting``): then the repair reads every key of the table back, not only the ones the
/// dead load may have added. Recording which keys it touches would cost every load a write of their names; a flag
/// costs one small write, and the full read back happens only after a load died in that phase.
struct CacheLoadMark: Codable, Sendable, Equatable {
    /// The load's id (its lock token).
    var load: String
    /// The version the load started from, if any.
    var parent: String?
    /// When it started, in milliseconds since 1970.
    var started: Int64
    /// Whether the load began writing or deleting keys that existed (or inherited such a mark from a dead load
    /// whose repair it has not yet recorded).
    var touchesExisting: Bool

    /// A mark for a load starting now.
    init(load: String, parent: String?) {
        self.load = load
        self.parent = parent
        started = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        touchesExisting = false
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

    /// Removes whatever mark the table has: the load that set it finished.
    static func clear(_ keys: CacheTableKeys, server: CacheServer) async throws {
        try await server.send(RESPCommand("UNLINK", .string(keys.pending)))
    }
}
