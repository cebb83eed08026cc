import NIOCore

/// Something that writes exactly one command into a ``RESPEncoder``: what pipelines take.
///
/// A bulk loader conforms its own small struct (a key, a value, a TTL) and writes the arguments straight from
/// its bytes; ``RESPCommand`` is the general form.
public protocol RESPCommandEncodable {
    /// Writes the command: an array header with the argument count, then every argument as a bulk string.
    func encode(into encoder: inout RESPEncoder)
}

/// One argument of a ``RESPCommand``.
public enum RESPArgument: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// UTF-8 text.
    case string(String)
    /// Raw bytes.
    case bytes(ByteBuffer)
    /// A decimal number.
    case integer(Int)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }

    /// Raw bytes from an array.
    public static func bytes(_ bytes: [UInt8]) -> RESPArgument { .bytes(ByteBuffer(bytes: bytes)) }

    @inlinable
    func encode(into encoder: inout RESPEncoder) {
        switch self {
        case .string(let text): encoder.writeBulkString(text)
        case .bytes(let bytes): encoder.writeBulkString(bytes)
        case .integer(let value): encoder.writeBulkString(value)
        }
    }
}

/// A command: its name and arguments, e.g. `RESPCommand("SET", "k", .bytes(value), "EX", 300)`.
///
/// Its description names the command and counts its arguments, never showing their values (an `AUTH` password
/// or a cached row).
public struct RESPCommand: RESPCommandEncodable, Sendable, Hashable, CustomStringConvertible {
    /// The name (`SET`) followed by the arguments.
    public var arguments: [RESPArgument]

    /// `name` with `arguments`.
    public init(_ name: String, _ arguments: RESPArgument...) {
        self.arguments = [.string(name)] + arguments
    }

    /// A command from all its words, the name first.
    public init(arguments: [RESPArgument]) {
        self.arguments = arguments
    }

    /// The command name (upper-cased), or `?` if it is not text.
    public var name: String {
        guard case .string(let name) = arguments.first else { return "?" }
        return name.uppercased()
    }

    public var description: String { "\(name) (\(max(arguments.count - 1, 0)) arguments)" }

    public func encode(into encoder: inout RESPEncoder) {
        encoder.writeArrayHeader(arguments.count)
        for argument in arguments { argument.encode(into: &encoder) }
    }
}
