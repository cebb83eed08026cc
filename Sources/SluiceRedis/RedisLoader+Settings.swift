import RESP
import Sluice

/// Table settings in the hash `{NS:TABLE}:_sluice:settings` (setting name → value), beside the table's versions,
/// and the table's name in the set `{NS}:_sluice:settings-tables` for ``tablesWithSettings()``.
///
/// Hash and set are in different hash slots (a cluster may keep them on different nodes), so no transaction spans
/// them: a set writes the hash first and adds the table to the set after; a removal that empties the hash takes
/// the table out of the set and then checks the hash again, putting the table back when a concurrent set wrote
/// in between. The listing counts only tables whose hash is not empty.
extension RedisLoader: TableSettings {
    public func settings(table: String) async throws -> [String: String] {
        try TableSettingName.validate(table: table)
        let reply = try await sending("reading the settings of table '\(table)'") {
            try await server.send(RESPCommand("HGETALL", .string(keys(table).settings)))
        }
        guard let elements = reply.elements, elements.count % 2 == 0 else {
            throw SluiceError(.targetFailure, "\(target): table '\(table)': the settings are not a hash")
        }
        var settings: [String: String] = [:]
        for index in stride(from: 0, to: elements.count, by: 2) {
            guard let name = elements[index].string, let value = elements[index + 1].string else {
                throw SluiceError(.targetFailure, "\(target): table '\(table)': a setting is not text")
            }
            settings[name] = value
        }
        return settings
    }

    public func setSetting(table: String, name: String, value: String?) async throws {
        try TableSettingName.validate(table: table, name: name, value: value)
        let hash = keys(table).settings
        let member = RESPArgument.string(table)
        let set = RESPArgument.string(CacheTableKeys.settingsTables(namespace: options.namespace))
        try await sending("changing setting '\(name)' of table '\(table)'") {
            guard let value else {
                try await server.send(RESPCommand("HDEL", .string(hash), .string(name)))
                guard try await fieldCount(hash) == 0 else { return }
                try await server.send(RESPCommand("SREM", set, member))
                if try await fieldCount(hash) > 0 { try await server.send(RESPCommand("SADD", set, member)) }
                return
            }
            try await server.send(RESPCommand("HSET", .string(hash), .string(name), .string(value)))
            try await server.send(RESPCommand("SADD", set, member))
        }
    }

    public func tablesWithSettings() async throws -> [String] {
        let set = CacheTableKeys.settingsTables(namespace: options.namespace)
        return try await sending("listing the tables with settings") {
            let members = try await server.send(RESPCommand("SMEMBERS", .string(set)))
            let names = (members.elements ?? []).compactMap(\.string)
            guard !names.isEmpty else { return [] }
            let counts = try await server.replies(names.map { RESPCommand("HLEN", .string(keys($0).settings)) })
            return zip(names, counts).filter { ($0.1.int ?? 0) > 0 }.map(\.0).sorted()
        }
    }

    /// How many settings the hash `key` holds.
    private func fieldCount(_ key: String) async throws -> Int {
        try await server.send(RESPCommand("HLEN", .string(key))).int ?? 0
    }

    /// Runs `body`, turning a server's error into a ``Sluice/SluiceError`` that names the target and what failed.
    private func sending<Result: Sendable>(
        _ operation: String,
        _ body: () async throws -> Result
    ) async throws -> Result {
        do {
            return try await body()
        } catch {
            throw SluiceError.cacheOperation(operation, address: target, error)
        }
    }
}
