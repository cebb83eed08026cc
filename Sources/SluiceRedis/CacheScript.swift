import RESP

/// A Lua script on one key (`EVAL script 1 key arg…`), routed in a cluster by its key's slot: a plain
/// ``RESP/RESPCommand`` is routed by its first argument, which for `EVAL` is the script's text, and would meet `MOVED`
/// on every node but one.
struct CacheScript: RESPClusterRoutable, CustomStringConvertible, Sendable {
    /// The `EVAL` command.
    let command: RESPCommand
    /// The one key the script touches.
    let key: String

    init(_ script: String, key: String, _ arguments: [RESPArgument] = []) {
        self.command = RESPCommand(arguments: ["EVAL", .string(script), 1, .string(key)] + arguments)
        self.key = key
    }

    var hashSlot: Int { RESPHashSlot.slot(of: key) }

    func encode(into encoder: inout RESPEncoder) { command.encode(into: &encoder) }

    var description: String { command.description }
}

extension CacheServer {
    /// Runs `script` on its key's server (its slot's primary in a cluster); an error reply throws.
    @discardableResult
    func send(_ script: CacheScript) async throws -> RESPValue {
        switch self {
        case .single(let client): return try await client.send(script.command)
        case .cluster(let client): return try await client.send(script)
        }
    }
}
