import NIOCore

/// Redis Cluster's key-to-slot mapping: CRC16-XMODEM of the key (or of its hash tag) modulo 16384.
public enum RESPHashSlot {
    /// The number of slots of a cluster.
    public static let count = 16384

    /// The slot of `key`'s bytes; only the hash tag counts when the key has one (the text between the first `{`
    /// and the next `}`, if not empty), so `{user1000}.following` and `{user1000}.followers` share a slot.
    public static func slot(of key: UnsafeRawBufferPointer) -> Int {
        Int(crc16(hashed(key))) & (count - 1)
    }

    /// The slot of a UTF-8 key.
    public static func slot(of key: String) -> Int {
        var key = key
        return key.withUTF8 { slot(of: UnsafeRawBufferPointer($0)) }
    }

    /// The slot of a key held in a `ByteBuffer`.
    public static func slot(of key: ByteBuffer) -> Int {
        key.withUnsafeReadableBytes { slot(of: $0) }
    }

    /// The part of `key` that is hashed.
    static func hashed(_ key: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let open = key.firstIndex(of: UInt8(ascii: "{")),
            let close = key[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1
        else { return key }
        return UnsafeRawBufferPointer(rebasing: key[(open + 1)..<close])
    }

    /// CRC16-XMODEM (polynomial 0x1021, initial value 0), table-driven.
    static func crc16(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc = (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
        }
        return crc
    }

    private static let table: [UInt16] = (0..<256).map { index in
        var crc = UInt16(index) << 8
        for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        return crc
    }
}
