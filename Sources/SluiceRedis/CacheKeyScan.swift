import NIOCore
import RESP
import Sluice

/// One pass of `SCAN` over the keys of one node, page by page: `SCAN cursor [MATCH pattern] COUNT n`.
///
/// `SCAN` returns every key that exists from the start to the end of the pass at least once (a key may come
/// twice), and deleting the keys of a page before reading the next is allowed, which is what a flush does.
struct CacheKeyScan: Sendable {
    /// One page: the cursor to continue from (`"0"` after the last page) and the keys.
    struct Page: Sendable {
        var cursor: String
        var keys: [ByteBuffer]

        /// Whether the pass is over.
        var isLast: Bool { cursor == "0" }
    }

    /// The `MATCH` pattern, or `nil` for every key.
    var match: String?
    /// The `COUNT` hint: how much of the keyspace each page looks at (default 1000).
    var count: Int = 1000

    /// The command that reads the page after `cursor` (`"0"` to start).
    func command(cursor: String) -> RESPCommand {
        var arguments: [RESPArgument] = ["SCAN", .string(cursor)]
        if let match { arguments += ["MATCH", .string(match)] }
        arguments += ["COUNT", .integer(count)]
        return RESPCommand(arguments: arguments)
    }

    /// The page of a `SCAN` reply (`[cursor, [key, …]]`) from the server at `address`.
    ///
    /// - Throws: ``Sluice/SluiceError`` for an error reply or a reply of another shape.
    static func page(_ reply: RESPValue, address: String) throws -> Page {
        if case .error(let line) = reply {
            throw SluiceError(.targetFailure, "redis \(address): SCAN failed: \(RESPServerError(line).message)")
        }
        guard let parts = reply.elements, parts.count == 2, let cursor = parts[0].string,
            let entries = parts[1].elements
        else { throw SluiceError(.targetFailure, "redis \(address): SCAN replied with an unexpected shape") }
        var keys: [ByteBuffer] = []
        keys.reserveCapacity(entries.count)
        for entry in entries {
            switch entry {
            case .bulkString(let key): keys.append(key)
            case .simpleString(let key): keys.append(ByteBuffer(string: key))
            default: throw SluiceError(.targetFailure, "redis \(address): SCAN replied with a key that is not a string")
            }
        }
        return Page(cursor: cursor, keys: keys)
    }
}
