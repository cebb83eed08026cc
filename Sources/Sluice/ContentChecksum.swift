/// An order-independent checksum of a multiset of rows: the sum of the rows' SHA-256 digests modulo 2^256.
///
/// Adding rows and removing rows commute, duplicates count, and a version's checksum follows from its parent's
/// by adding inserted and subtracting removed rows. The definition of a row digest is in ``RowDigester`` and
/// `docs/Checksums.md`; it is a file format, identical in every target.
public struct ContentChecksum: Sendable, Hashable {
    /// Four 64-bit limbs, most significant first.
    public private(set) var limbs: (UInt64, UInt64, UInt64, UInt64)

    /// The checksum of no rows.
    public static let zero = ContentChecksum(limbs: (0, 0, 0, 0))

    init(limbs: (UInt64, UInt64, UInt64, UInt64)) {
        self.limbs = limbs
    }

    /// Parses 64 hex digits.
    public init?(hex: String) {
        let bytes = Array(hex.utf8)
        guard bytes.count == 64 else { return nil }
        var parts: [UInt64] = []
        for start in stride(from: 0, to: 64, by: 16) {
            guard let part = UInt64(String(decoding: bytes[start..<start + 16], as: UTF8.self), radix: 16) else {
                return nil
            }
            parts.append(part)
        }
        limbs = (parts[0], parts[1], parts[2], parts[3])
    }

    /// A digest of 32 bytes read as a big-endian 256-bit number.
    public init<Bytes: Sequence>(digest: Bytes) where Bytes.Element == UInt8 {
        var parts: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in digest.prefix(32).enumerated() {
            parts[index / 8] = parts[index / 8] << 8 | UInt64(byte)
        }
        limbs = (parts[0], parts[1], parts[2], parts[3])
    }

    /// 32 digest bytes read as a big-endian 256-bit number, without copying.
    public init(digestBytes raw: UnsafeRawBufferPointer) {
        precondition(raw.count >= 32, "a digest has 32 bytes")
        limbs = (
            UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        )
    }

    /// Adds another checksum (a row or a set of rows) modulo 2^256.
    public mutating func add(_ other: ContentChecksum) {
        var carry: UInt64 = 0
        limbs.3 = Self.add(limbs.3, other.limbs.3, &carry)
        limbs.2 = Self.add(limbs.2, other.limbs.2, &carry)
        limbs.1 = Self.add(limbs.1, other.limbs.1, &carry)
        limbs.0 = Self.add(limbs.0, other.limbs.0, &carry)
    }

    /// Subtracts another checksum modulo 2^256.
    public mutating func subtract(_ other: ContentChecksum) {
        var borrow: UInt64 = 0
        limbs.3 = Self.subtract(limbs.3, other.limbs.3, &borrow)
        limbs.2 = Self.subtract(limbs.2, other.limbs.2, &borrow)
        limbs.1 = Self.subtract(limbs.1, other.limbs.1, &borrow)
        limbs.0 = Self.subtract(limbs.0, other.limbs.0, &borrow)
    }

    /// The sum of two checksums.
    public static func + (lhs: ContentChecksum, rhs: ContentChecksum) -> ContentChecksum {
        var sum = lhs
        sum.add(rhs)
        return sum
    }

    /// The difference of two checksums.
    public static func - (lhs: ContentChecksum, rhs: ContentChecksum) -> ContentChecksum {
        var difference = lhs
        difference.subtract(rhs)
        return difference
    }

    /// 64 lowercase hex digits.
    public var hex: String {
        [limbs.0, limbs.1, limbs.2, limbs.3].map { limb in
            let digits = String(limb, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }

    public static func == (lhs: ContentChecksum, rhs: ContentChecksum) -> Bool {
        lhs.limbs == rhs.limbs
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(limbs.0)
        hasher.combine(limbs.1)
        hasher.combine(limbs.2)
        hasher.combine(limbs.3)
    }

    private static func add(_ a: UInt64, _ b: UInt64, _ carry: inout UInt64) -> UInt64 {
        let (partial, overflow1) = a.addingReportingOverflow(b)
        let (sum, overflow2) = partial.addingReportingOverflow(carry)
        carry = (overflow1 || overflow2) ? 1 : 0
        return sum
    }

    private static func subtract(_ a: UInt64, _ b: UInt64, _ borrow: inout UInt64) -> UInt64 {
        let (partial, overflow1) = a.subtractingReportingOverflow(b)
        let (difference, overflow2) = partial.subtractingReportingOverflow(borrow)
        borrow = (overflow1 || overflow2) ? 1 : 0
        return difference
    }
}

extension ContentChecksum: CustomStringConvertible {
    public var description: String { hex }
}
