import Foundation
import Synchronization

/// Generates UUIDv7 identifiers: time-ordered, so data version ids sort by creation.
public enum UUIDv7 {
    private static let last = Mutex<(millis: UInt64, counter: UInt16)>((0, 0))

    /// A new UUIDv7 string (lowercase, hyphenated). Ids made in the same process are strictly increasing.
    public static func make(now: Date = Date()) -> String {
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        let (stamp, counter) = last.withLock { state -> (UInt64, UInt16) in
            if millis > state.millis {
                state = (millis, UInt16.random(in: 0..<0x400))
            } else {
                state.counter &+= 1
                if state.counter >= 0x1000 { state = (state.millis + 1, 0) }
            }
            return (state.millis, state.counter)
        }
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: stamp >> (8 * (5 - index))) }
        bytes[6] = 0x70 | UInt8(counter >> 8 & 0x0F)
        bytes[7] = UInt8(counter & 0xFF)
        for index in 8..<16 { bytes[index] = UInt8.random(in: 0...255) }
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        let hex = bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
        return hex[0..<4].joined() + "-" + hex[4..<6].joined() + "-" + hex[6..<8].joined() + "-"
            + hex[8..<10].joined() + "-" + hex[10..<16].joined()
    }
}
