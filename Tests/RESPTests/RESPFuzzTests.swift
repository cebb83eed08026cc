import NIOCore
import Testing

@testable import RESP

@Suite("RESP decoder fuzzing")
struct RESPFuzzTests {
    /// Valid replies of every type, nested.
    static let corpus: [UInt8] = bytes(
        RESPReplyDecoderTests.cases.map(\.0).joined()
            + "*3\r\n%1\r\n$1\r\nk\r\n~1\r\n#t\r\n>1\r\n_\r\n|1\r\n+a\r\n,1.5\r\n(-12\r\n"
    )

    /// What the decoder may do with any input: produce values, wait, or throw a RESPError. Never crash or hang.
    private func survive(_ input: [UInt8], chunked: Bool, using generator: inout SeededGenerator) {
        var chunks: [[UInt8]] = []
        var rest = input[...]
        while !rest.isEmpty {
            let size = chunked ? Int.random(in: 1...max(1, rest.count), using: &generator) : rest.count
            chunks.append(Array(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        let limits = RESPLimits(maximumBulkLength: 1 << 16, maximumDepth: 8, maximumAggregateCount: 1 << 16)
        let (values, error) = decodeAll(chunks, limits: limits)
        if let error {
            #expect(error.offset.map { $0 >= 0 && $0 <= input.count } ?? true)
            #expect(!error.description.contains("\n"))
        }
        #expect(values.count <= input.count)
    }

    @Test("random truncations and byte flips of valid replies give values or errors")
    func mutations() {
        var generator = SeededGenerator(seed: 0x5EED)
        for _ in 0..<3000 {
            var input = Self.corpus
            input = Array(input.prefix(Int.random(in: 0...input.count, using: &generator)))
            for _ in 0..<Int.random(in: 0...4, using: &generator) where !input.isEmpty {
                let index = Int.random(in: 0..<input.count, using: &generator)
                input[index] = UInt8.random(in: 0...255, using: &generator)
            }
            survive(input, chunked: Bool.random(using: &generator), using: &generator)
        }
    }

    @Test("random bytes give values or errors")
    func randomBytes() {
        var generator = SeededGenerator(seed: 42)
        let alphabet = bytes("+-:$*_#,(!=%~>|\r\n0123456789-abc")
        for round in 0..<3000 {
            let length = Int.random(in: 0...200, using: &generator)
            let input = (0..<length).map { _ in
                round.isMultiple(of: 2)
                    ? UInt8.random(in: 0...255, using: &generator) : alphabet.randomElement(using: &generator)!
            }
            survive(input, chunked: Bool.random(using: &generator), using: &generator)
        }
    }
}
