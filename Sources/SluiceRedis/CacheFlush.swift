import Logging
import NIOCore
import NIOPosix
import RESP
import Sluice

/// Deletes every key of one namespace, and nothing else: what `sluice cache flush --namespace N` does.
///
/// Keys are found with `SCAN … MATCH N:* COUNT 1000` and deleted with `UNLINK` (the memory is freed in the
/// background), a page at a time: each write carries the `UNLINK` of the page before and the `SCAN` of the next,
/// so a flush takes one round trip per page. `FLUSHDB` and `FLUSHALL` are never sent. The namespace is taken
/// literally: its glob characters are escaped, so namespace `a*` deletes `a*:…` keys only, not `ab:…`; a `:` or `\` in
/// it is matched as keys write it (`a\:b:…` for namespace `a:b`, see `docs/RedisTarget.md`).
/// Sluice's own keys go too: a table's, hash-tagged `{N:table}:_sluice:…` (`MATCH {N:*`), and the namespace's,
/// `{N}:_sluice:…` (`MATCH {N}:*`).
///
/// ```swift
/// let unlinked = try await CacheFlush(namespace: "md").flush(connection)
/// ```
///
/// Keys written while a flush runs may stay; a key `SCAN` meets twice is unlinked once (the second `UNLINK`
/// counts 0).
public struct CacheFlush: Sendable {
    /// The namespace: keys `namespace:…` are deleted.
    public let namespace: String
    /// The `SCAN MATCH` patterns, one pass each: `N:*`, `{N:*` and `{N}:*`, `N` escaped.
    public let patterns: [String]
    /// `SCAN`'s `COUNT` hint, so roughly the keys per `UNLINK` batch; default 1000.
    public var scanCount: Int

    /// A flush of `namespace`.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) for an empty namespace, which would match every key.
    public init(namespace: String) throws {
        guard !namespace.isEmpty else {
            throw SluiceError(
                .invalidRequest,
                "cache flush: the namespace is empty, which would delete every key; give the namespace to delete"
            )
        }
        self.namespace = namespace
        // Keys write a `\` or `:` of the namespace escaped (CacheKeyEscaping), so namespace `a:b` is `a\:b:…`, and
        // namespace `a` with table `b` stays out of it.
        let literal = KeyPattern.escaped(CacheKeyEscaping.names.escaped(namespace))
        patterns = [literal + ":*", "{" + literal + ":*", "{" + literal + "}:*"]
        scanCount = 1000
    }

    /// Deletes the namespace's keys from the database `connection` has selected; returns how many were unlinked.
    ///
    /// - Throws: ``Sluice/SluiceError`` naming the server when a command fails (keys unlinked until then stay
    ///   deleted; running the flush again finishes it).
    public func flush(_ connection: RESPConnection) async throws -> Int {
        try await flush(connection, groupingBySlot: false)
    }

    /// Deletes the namespace's keys from every primary of a Redis Cluster; returns how many were unlinked.
    ///
    /// `SCAN` reads one node's keys, so each primary is flushed on a connection of its own, concurrently; its
    /// keys are unlinked in one `UNLINK` per hash slot (a multi-key command must stay in one slot).
    ///
    /// - Parameters:
    ///   - seed: how to reach one node (any) and log in; the others are found in its slot table.
    /// - Throws: ``Sluice/SluiceError`` naming the node that failed.
    public func flush(
        cluster seed: RESPConnection.Configuration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "sluice.redis")
    ) async throws -> Int {
        try await CacheCluster.withPrimaries(seed, eventLoopGroup: eventLoopGroup, logger: logger) { connections in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for connection in connections {
                    group.addTask { try await flush(connection, groupingBySlot: true) }
                }
                var unlinked = 0
                for try await count in group { unlinked += count }
                logger.debug("cache flushed", metadata: ["namespace": "\(namespace)", "unlinked": "\(unlinked)"])
                return unlinked
            }
        }
    }

    /// Every pattern's pass on one node, then the namespace's claims in the key-prefix registry.
    func flush(_ connection: RESPConnection, groupingBySlot: Bool) async throws -> Int {
        var unlinked = 0
        for pattern in patterns {
            unlinked += try await pass(
                CacheKeyScan(match: pattern, count: scanCount),
                on: connection,
                groupingBySlot: groupingBySlot,
                before: unlinked
            )
        }
        return unlinked + (try await releaseClaims(on: connection))
    }

    /// Removes the namespace's tables from `{_sluice}:key-prefixes` (``CacheKeyPrefixes``); returns 1 when that
    /// emptied the registry, which Redis then deletes, else 0. In a cluster only the node that holds the registry
    /// answers; the others' redirections are ignored.
    private func releaseClaims(on connection: RESPConnection) async throws -> Int {
        let script = """
            local fields = redis.call('HGETALL', KEYS[1])
            local removed = 0
            for i = 1, #fields, 2 do
              local ok, owner = pcall(cjson.decode, fields[i + 1])
              if ok and type(owner) == 'table' and owner['namespace'] == ARGV[1] then
                redis.call('HDEL', KEYS[1], fields[i])
                removed = removed + 1
              end
            end
            if removed > 0 and redis.call('EXISTS', KEYS[1]) == 0 then return 1 end
            return 0
            """
        let command = RESPCommand("EVAL", .string(script), 1, .string(CacheKeyPrefixes.key), .string(namespace))
        let replies = try await send([command], on: connection)
        return replies.first?.int ?? 0
    }

    /// One `SCAN` pass, each page's keys unlinked in the write that reads the next page.
    private func pass(
        _ scan: CacheKeyScan,
        on connection: RESPConnection,
        groupingBySlot: Bool,
        before: Int
    ) async throws -> Int {
        var unlinked = 0
        var cursor = "0"
        var keys: [ByteBuffer] = []
        repeat {
            let unlinks = Self.unlinkCommands(keys, groupingBySlot: groupingBySlot)
            let replies = try await send(unlinks + [scan.command(cursor: cursor)], on: connection)
            unlinked += try Self.count(replies.dropLast(), address: connection.address, before: before + unlinked)
            let page = try CacheKeyScan.page(replies[replies.count - 1], address: connection.address)
            cursor = page.cursor
            keys = page.keys
        } while cursor != "0"
        let last = Self.unlinkCommands(keys, groupingBySlot: groupingBySlot)
        if !last.isEmpty {
            let replies = try await send(last, on: connection)
            unlinked += try Self.count(replies[...], address: connection.address, before: before + unlinked)
        }
        return unlinked
    }

    private func send(_ commands: [RESPCommand], on connection: RESPConnection) async throws -> [RESPValue] {
        do {
            return try await connection.sendUnchecked(commands)
        } catch {
            throw SluiceError.cacheOperation("flush of namespace '\(namespace)'", address: connection.address, error)
        }
    }

    /// `UNLINK` of `keys`: one command, or one per hash slot (in a cluster).
    static func unlinkCommands(_ keys: [ByteBuffer], groupingBySlot: Bool) -> [RESPCommand] {
        guard !keys.isEmpty else { return [] }
        guard groupingBySlot else { return [unlink(keys[...])] }
        var slots: [Int: [ByteBuffer]] = [:]
        for key in keys { slots[RESPHashSlot.slot(of: key), default: []].append(key) }
        return slots.sorted { $0.key < $1.key }.map { unlink($0.value[...]) }
    }

    private static func unlink(_ keys: ArraySlice<ByteBuffer>) -> RESPCommand {
        RESPCommand(arguments: ["UNLINK"] + keys.map { .bytes($0) })
    }

    /// The keys `UNLINK` replies say were deleted.
    ///
    /// - Throws: ``Sluice/SluiceError`` for an error reply (`CROSSSLOT`, `MOVED` while slots migrate, `NOPERM`).
    static func count(_ replies: ArraySlice<RESPValue>, address: String, before: Int) throws -> Int {
        var unlinked = 0
        for reply in replies {
            guard let count = reply.int, !reply.isError else {
                throw SluiceError(
                    .targetFailure,
                    "redis \(address): UNLINK failed after \(before + unlinked) keys: \(reply.string ?? "no count")"
                )
            }
            unlinked += count
        }
        return unlinked
    }
}
