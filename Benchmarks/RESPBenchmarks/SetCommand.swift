import NIOCore
import RESP

/// `SET PREFIX<number> VALUE EX SECONDS`, encoded without a `String` per command.
struct SetCommand: RESPCommandEncodable {
    var prefix: StaticString
    var number: Int
    var value: ByteBuffer
    var seconds: Int

    func encode(into encoder: inout RESPEncoder) {
        encoder.writeArrayHeader(5)
        encoder.writeBulkString("SET")
        encoder.writeBulkString(length: prefix.utf8CodeUnitCount + RESPEncoder.decimalCount(number)) { buffer in
            buffer.writeStaticString(prefix)
            RESPEncoder.writeDecimal(number, into: &buffer)
        }
        encoder.writeBulkString(value)
        encoder.writeBulkString("EX")
        encoder.writeBulkString(seconds)
    }
}
