import NIOCore
import RESP

/// `SET price:SYM:DATE <json> EX 300`: one daily price cached the way the cache loader will, routable by its key's
/// slot in a cluster. Key and value are slices of one buffer (see ``PriceCommand/batch(count:)``).
struct PriceCommand: RESPClusterRoutable, Sendable {
    var key: ByteBuffer
    var value: ByteBuffer

    /// Computed on every use, as a loader without a cache of slots would.
    var hashSlot: Int { RESPHashSlot.slot(of: key) }

    func encode(into encoder: inout RESPEncoder) {
        encoder.writeArrayHeader(5)
        encoder.writeBulkString("SET")
        encoder.writeBulkString(key)
        encoder.writeBulkString(value)
        encoder.writeBulkString("EX")
        encoder.writeBulkString(300)
    }
}
