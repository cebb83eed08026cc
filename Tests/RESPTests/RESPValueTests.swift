import RESP
import Testing

@Suite("RESP values")
struct RESPValueTests {
    @Test("values compare by content")
    func equality() {
        #expect(RESPValue.integer(1) == .integer(1))
        #expect(RESPValue.bulkString([1]) != .bulkString([2]))
    }
}
