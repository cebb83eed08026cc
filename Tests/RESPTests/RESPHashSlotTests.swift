import Testing

@testable import RESP

@Suite("Cluster hash slots")
struct RESPHashSlotTests {
    @Test("CRC16-XMODEM of 123456789 is 0x31C3")
    func checkValue() {
        var text = "123456789"
        #expect(text.withUTF8 { RESPHashSlot.crc16(UnsafeRawBufferPointer($0)) } == 0x31C3)
    }

    @Test(
        "keys map to the slots REDIS.md lists; hash tags hash only the tag",
        arguments: [("foo", 12182), ("bar", 5061), ("{user1000}.x", 3443), ("{user1000}.following", 3443)]
    )
    func slots(_ key: String, _ slot: Int) {
        #expect(RESPHashSlot.slot(of: key) == slot)
    }

    @Test("an empty or unclosed tag hashes the whole key")
    func emptyTag() {
        #expect(RESPHashSlot.slot(of: "{}x") != RESPHashSlot.slot(of: "x"))
        #expect(RESPHashSlot.slot(of: "foo{") == RESPHashSlot.slot(of: "foo{"))
        #expect(RESPHashSlot.slot(of: "a{b}{c}") == RESPHashSlot.slot(of: "b"))
        #expect(RESPHashSlot.slot(of: "{user1000") != RESPHashSlot.slot(of: "user1000"))
    }
}
