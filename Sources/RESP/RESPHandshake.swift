import NIOCore

/// Logs in: `HELLO 3 [AUTH user pass] [SETNAME name]` and `SELECT db` in one write; on `NOPROTO` or an unknown
/// `HELLO`, RESP2 with `AUTH`, `CLIENT SETNAME` and `SELECT` in one write.
struct RESPHandshake {
    let configuration: RESPConnection.Configuration
    let channel: any Channel
    let closeReason: RESPCloseReason

    func run() async throws -> RESPConnection.ProtocolVersion {
        let select = configuration.database == 0 ? [] : [RESPCommand("SELECT", .integer(configuration.database))]
        if configuration.prefersRESP3 {
            let replies = try await send([hello] + select)
            switch replies[0] {
            case .error(let line) where Self.lacksRESP3(line):
                break
            case .error(let line):
                throw RESPError(serverReply: line, context: "HELLO")
            default:
                try check(replies.dropFirst(), names: ["SELECT"])
                return .resp3
            }
        }
        var commands: [RESPCommand] = []
        var names: [String] = []
        if let password = configuration.password {
            commands.append(RESPCommand("AUTH", .string(configuration.username ?? "default"), .string(password)))
            names.append("AUTH")
        }
        if let name = configuration.clientName {
            commands.append(RESPCommand("CLIENT", "SETNAME", .string(name)))
            names.append("CLIENT SETNAME")
        }
        commands += select
        names += select.map { _ in "SELECT" }
        if !commands.isEmpty { try check(try await send(commands)[...], names: names) }
        return .resp2
    }

    private var hello: RESPCommand {
        var arguments: [RESPArgument] = ["HELLO", 3]
        if let password = configuration.password {
            arguments += ["AUTH", .string(configuration.username ?? "default"), .string(password)]
        }
        if let name = configuration.clientName { arguments += ["SETNAME", .string(name)] }
        return RESPCommand(arguments: arguments)
    }

    /// `-NOPROTO …` or `-ERR unknown command 'HELLO'…`: the server cannot speak RESP3.
    static func lacksRESP3(_ line: String) -> Bool {
        line.hasPrefix("NOPROTO") || (line.hasPrefix("ERR") && line.lowercased().contains("unknown command"))
    }

    private func send(_ commands: [RESPCommand]) async throws -> [RESPValue] {
        var encoder = RESPEncoder(buffer: channel.allocator.buffer(capacity: 256))
        for command in commands { command.encode(into: &encoder) }
        let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { [closeReason] in promise.fail(closeReason.explain($0)) }
        channel.writeAndFlush(
            RESPRequest.commands(encoder.buffer, count: commands.count, promise: promise),
            promise: written
        )
        return try await promise.futureResult.get()
    }

    private func check(_ replies: ArraySlice<RESPValue>, names: [String]) throws {
        for (reply, name) in zip(replies, names) {
            if case .error(let line) = reply { throw RESPError(serverReply: line, context: name) }
        }
    }
}
