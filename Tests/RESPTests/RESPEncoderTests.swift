import NIOCore
import Testing

@testable import RESP

@Suite("RESP request encoder")
struct RESPEncoderTests {
    private func encoded(_ command: some RESPCommandEncodable) -> String {
        var encoder = RESPEncoder(buffer: ByteBuffer())
        command.encode(into: &encoder)
        return String(buffer: encoder.buffer)
    }

    @Test("a command is an array of bulk strings")
    func command() {
        let value = ByteBuffer(string: "v\r\n1")
        #expect(
            encoded(RESPCommand("SET", "key", .bytes(value), "EX", 300))
                == "*5\r\n$3\r\nSET\r\n$3\r\nkey\r\n$4\r\nv\r\n1\r\n$2\r\nEX\r\n$3\r\n300\r\n"
        )
    }

    @Test("integers are written in decimal", arguments: [0, 9, 10, -1, -10, 123_456_789, Int.max, Int.min])
    func integers(_ value: Int) {
        #expect(
            encoded(RESPCommand(arguments: [.integer(value)])) == "*1\r\n$\(String(value).utf8.count)\r\n\(value)\r\n"
        )
    }

    @Test("UTF-8 text counts bytes, not characters")
    func utf8() {
        #expect(encoded(RESPCommand("GET", "clé")) == "*2\r\n$3\r\nGET\r\n$4\r\nclé\r\n")
    }

    @Test("a description names the command, never its arguments")
    func description() {
        let command = RESPCommand("AUTH", "alice", "s3cret")
        #expect(command.description == "AUTH (2 arguments)")
        #expect(!command.description.contains("s3cret"))
    }
}

@Suite("RESP request encoder, composed arguments")
struct RESPComposedArgumentTests {
    @Test("a bulk string written in parts: prefix and number without an intermediate key")
    func composed() {
        var encoder = RESPEncoder(buffer: ByteBuffer())
        encoder.writeArrayHeader(2)
        encoder.writeBulkString("GET")
        encoder.writeBulkString(length: 6 + RESPEncoder.decimalCount(-4071)) { buffer in
            buffer.writeStaticString("price:")
            RESPEncoder.writeDecimal(-4071, into: &buffer)
        }
        #expect(String(buffer: encoder.buffer) == "*2\r\n$3\r\nGET\r\n$11\r\nprice:-4071\r\n")
    }
}
