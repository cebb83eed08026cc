import NIOCore
import RESP
import Testing

/// Decodes every reply in `bytes` (chunks fed one after the other); returns the values and the error, if any.
func decodeAll(
    _ chunks: [[UInt8]],
    limits: RESPLimits = RESPLimits()
) -> (values: [RESPValue], error: RESPError?) {
    var decoder = RESPReplyDecoder(limits: limits)
    var buffer = ByteBuffer()
    var values: [RESPValue] = []
    for chunk in chunks {
        buffer.writeBytes(chunk)
        do {
            while let value = try decoder.decode(buffer: &buffer) { values.append(value) }
        } catch let error as RESPError {
            return (values, error)
        } catch {
            Issue.record("unexpected error type \(error)")
            return (values, nil)
        }
    }
    return (values, nil)
}

/// `text` as bytes.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A bulk string value of `text`.
func bulk(_ text: String) -> RESPValue { .bulkString(ByteBuffer(string: text)) }

/// A small, seeded, reproducible generator (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
