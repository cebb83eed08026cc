import NIOCore
import RESP

/// libFuzzer's entry: the bytes as a stream of RESP2/RESP3 replies, decoded by `RESPReplyDecoder` (default limits,
/// as connections use it) until it needs more bytes or throws; then again fed in two parts split where the input's
/// first byte says, as the network would. Both must decode as many replies and fail alike.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let whole = decodeAll([bytes[...]])
    let split = size == 0 ? 0 : Int(bytes[0]) % (size + 1)
    let parted = decodeAll([bytes[..<split], bytes[split...]])
    // Counted, not compared: a RESP3 double may be NaN (not equal to itself), even as a map key (so not even the
    // text of two equal maps need match).
    precondition(whole.replies.count == parted.replies.count, "the same bytes in two parts decode to other replies")
    precondition(whole.failed == parted.failed, "the same bytes in two parts fail differently")
    return 0
}

/// Feeds `parts` one after another to one decoder, decoding every complete reply after each.
private func decodeAll(_ parts: [Slice<UnsafeRawBufferPointer>]) -> (replies: [RESPValue], failed: Bool) {
    var decoder = RESPReplyDecoder()
    var buffer = ByteBuffer()
    var replies: [RESPValue] = []
    do {
        for part in parts {
            buffer.writeBytes(part)
            while let reply = try decoder.decode(buffer: &buffer) { replies.append(reply) }
        }
        if let reply = try decoder.decodeLast(buffer: &buffer, seenEOF: true) { replies.append(reply) }
    } catch {
        return (replies, true)
    }
    return (replies, false)
}
