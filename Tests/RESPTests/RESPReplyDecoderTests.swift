import NIOCore
import Testing

@testable import RESP

@Suite("RESP reply decoder")
struct RESPReplyDecoderTests {
    static let cases: [(String, RESPValue)] = [
        ("+OK\r\n", .simpleString("OK")),
        ("-WRONGTYPE Operation against a key\r\n", .error("WRONGTYPE Operation against a key")),
        (":42\r\n", .integer(42)),
        (":-9223372036854775808\r\n", .integer(.min)),
        ("$5\r\nhello\r\n", bulk("hello")),
        ("$0\r\n\r\n", bulk("")),
        ("$-1\r\n", .null),
        ("*-1\r\n", .null),
        ("_\r\n", .null),
        ("*2\r\n:1\r\n$1\r\nx\r\n", .array([.integer(1), bulk("x")])),
        ("*0\r\n", .array([])),
        ("#t\r\n", .boolean(true)),
        ("#f\r\n", .boolean(false)),
        (",3.25\r\n", .double(3.25)),
        (",-inf\r\n", .double(-.infinity)),
        ("(3492890328409238509324850943850943825024385\r\n", .bigNumber("3492890328409238509324850943850943825024385")),
        ("!21\r\nSYNTAX invalid syntax\r\n", .error("SYNTAX invalid syntax")),
        ("=15\r\ntxt:Some string\r\n", bulk("Some string")),
        ("%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n", .map([.simpleString("a"): .integer(1), .simpleString("b"): .integer(2)])),
        ("~2\r\n+a\r\n+b\r\n", .set([.simpleString("a"), .simpleString("b")])),
        (">2\r\n+message\r\n+hi\r\n", .push([.simpleString("message"), .simpleString("hi")])),
        ("|1\r\n+ttl\r\n:3600\r\n:7\r\n", .integer(7)),
        ("*1\r\n|1\r\n+a\r\n+b\r\n$1\r\nz\r\n", .array([bulk("z")])),
    ]

    @Test("decodes every RESP2 and RESP3 type", arguments: cases.indices)
    func decodesType(_ index: Int) {
        let (wire, expected) = Self.cases[index]
        let (values, error) = decodeAll([bytes(wire)])
        #expect(error == nil, "\(wire.debugDescription)")
        #expect(values == [expected], "\(wire.debugDescription)")
    }

    @Test("a reply cut anywhere waits for the rest, then decodes the same")
    func truncatedWaits() {
        let wire = Self.cases.map(\.0).joined()
        let expected = Self.cases.map(\.1)
        for cut in 0...wire.utf8.count {
            let all = bytes(wire)
            let (values, error) = decodeAll([Array(all[..<cut]), Array(all[cut...])])
            #expect(error == nil)
            #expect(values == expected, "cut at \(cut)")
        }
    }

    @Test("bytes fed one at a time decode the same")
    func byteByByte() {
        let wire = Self.cases.map(\.0).joined()
        let (values, error) = decodeAll(bytes(wire).map { [$0] })
        #expect(error == nil)
        #expect(values == Self.cases.map(\.1))
    }

    @Test("garbage fails with the byte offset and what was seen")
    func garbageNamesOffset() throws {
        let (values, error) = decodeAll([bytes("+OK\r\n?what\r\n")])
        #expect(values == [.simpleString("OK")])
        let failure = try #require(error)
        #expect(failure.code == .protocolViolation)
        #expect(failure.offset == 5)
        #expect(failure.description.contains("'?'"))
        #expect(!failure.description.contains("\n"))
    }

    @Test(
        "malformed replies fail as protocol violations",
        arguments: [
            ":12a\r\n", ":\r\n", "$3\r\nabcd\r\n", "$-2\r\n", "*-5\r\n", "#x\r\n", ",abc\r\n", "(12x\r\n",
            "_x\r\n", "+OK\rX", "=3\r\nabc\r\n", ":99999999999999999999\r\n", "~-1\r\n",
        ]
    )
    func malformed(_ wire: String) {
        let (values, error) = decodeAll([bytes(wire)])
        #expect(values.isEmpty)
        #expect(error?.code == .protocolViolation, "\(wire.debugDescription)")
    }

    @Test("a bulk string over the limit fails before its bytes arrive")
    func bulkLimit() {
        let (_, error) = decodeAll([bytes("$1000\r\n")], limits: RESPLimits(maximumBulkLength: 999))
        #expect(error?.code == .limitExceeded)
        #expect(error?.offset == 0)
    }

    @Test("nesting deeper than the limit fails")
    func depthLimit() {
        let wire = String(repeating: "*1\r\n", count: 10) + ":1\r\n"
        #expect(decodeAll([bytes(wire)], limits: RESPLimits(maximumDepth: 9)).error?.code == .limitExceeded)
        #expect(decodeAll([bytes(wire)], limits: RESPLimits(maximumDepth: 10)).values.count == 1)
    }

    @Test("a line that never ends fails at the line limit instead of buffering forever")
    func lineLimit() {
        let chunks = Array(repeating: Array(repeating: UInt8(ascii: "a"), count: 1000), count: 100)
        let (_, error) = decodeAll([bytes("+")] + chunks, limits: RESPLimits(maximumLineLength: 4096))
        #expect(error?.code == .limitExceeded)
    }

    @Test("an aggregate announcing more elements than allowed fails; a huge count reserves no memory")
    func aggregateCount() {
        #expect(decodeAll([bytes("*100\r\n")], limits: RESPLimits(maximumAggregateCount: 99)).error != nil)
        let (values, error) = decodeAll([bytes("*16000000\r\n:1\r\n")])
        #expect(values.isEmpty && error == nil)
    }

    @Test("bulk strings are slices of the received bytes, with offsets counted across replies")
    func offsetsAcrossReplies() {
        let (values, error) = decodeAll([bytes("$3\r\nabc\r\n:1\r\n"), bytes("*1\r\n%x\r\n")])
        #expect(values == [bulk("abc"), .integer(1)])
        #expect(error?.offset == 18)
    }
}
