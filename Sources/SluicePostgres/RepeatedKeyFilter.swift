import Sluice

/// A Bloom filter over the keys of the rows a keyed load stages, so that the server checks for duplicate keys only
/// among the rows whose key may have appeared before — and not at all when none may have.
///
/// ``insert(row:of:)`` answers `true` for every row whose key was inserted before (never a false negative: equal
/// keys hash equally), and rarely for a new key (a false positive, which only costs the server a closer look). The
/// filter has a fixed size (16 MiB by default), so memory stays flat however many rows a load stages: about one row
/// in 100,000 is a false positive at 1,000,000 rows, one in 700 at 5,000,000.
///
/// Keys hash by the value PostgreSQL compares: decimals at the column's scale (`1.50` and `1.5` are one key),
/// doubles with `-0.0` as `0.0` and one NaN, text and bytes by their bytes.
struct RepeatedKeyFilter: Sendable {
    private var words: [UInt64]
    private let mask: UInt64
    let keyIndices: [Int]

    /// A filter for keys made of the columns at `keyIndices`, with `2^log2Bits` bits.
    init(keyIndices: [Int], log2Bits: Int = 27) {
        self.keyIndices = keyIndices
        self.words = Array(repeating: 0, count: (1 << log2Bits) / 64)
        self.mask = UInt64(1 << log2Bits) - 1
    }

    /// The 64-bit hash of the key of `row` of `batch`.
    func keyHash(row: Int, of batch: RecordBatch) -> UInt64 {
        var hasher = KeyHasher()
        for index in keyIndices { hasher.combine(batch.columns[index], row: row) }
        return hasher.value
    }

    /// Records the key of `row` of `batch`; returns whether the filter may have seen it before.
    mutating func insert(row: Int, of batch: RecordBatch) -> Bool {
        insert(keyHash: keyHash(row: row, of: batch))
    }

    /// Records a key by its ``keyHash(row:of:)``; returns whether the filter may have seen it before.
    mutating func insert(keyHash first: UInt64) -> Bool {
        let step = Self.mix(first) | 1
        var seen = true
        for probe in 0..<3 {
            let bit = (first &+ UInt64(probe) &* step) & mask
            let word = Int(bit >> 6)
            let flag = UInt64(1) << (bit & 63)
            if words[word] & flag == 0 {
                seen = false
                words[word] |= flag
            }
        }
        return seen
    }

    /// SplitMix64's finaliser: a second, independent-looking hash from the first.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// FNV-1a over the comparable bytes of key values, each value tagged and length-delimited.
struct KeyHasher {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    mutating func combine(_ column: ColumnValues, row: Int) {
        if column.isNull(row) {
            byte(0)
            return
        }
        byte(1)
        switch column {
        case .bool(let vector): byte(vector.values[row] ? 1 : 0)
        case .int64(let vector): integer(UInt64(bitPattern: vector.values[row]))
        case .double(let vector):
            let number = vector.values[row]
            integer(number.isNaN ? Double.nan.bitPattern : (number == 0 ? 0 : number.bitPattern))
        case .decimal(let vector, _):
            let significand = UInt128(bitPattern: vector.values[row])
            integer(UInt64(truncatingIfNeeded: significand))
            integer(UInt64(truncatingIfNeeded: significand >> 64))
        case .string(let vector): text(vector.values[row])
        case .json(let vector): text(vector.values[row])
        case .date(let vector): integer(UInt64(UInt32(bitPattern: vector.values[row])))
        case .timestamp(let vector): integer(UInt64(bitPattern: vector.values[row]))
        case .bytes(let vector):
            integer(UInt64(vector.values[row].count))
            for item in vector.values[row] { byte(item) }
        }
    }

    private mutating func byte(_ item: UInt8) {
        value = (value ^ UInt64(item)) &* 0x100_0000_01B3
    }

    private mutating func integer(_ item: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { byte(UInt8(truncatingIfNeeded: item >> UInt64(shift))) }
    }

    private mutating func text(_ string: String) {
        var string = string
        string.withUTF8 { bytes in
            integer(UInt64(bytes.count))
            for item in bytes { byte(item) }
        }
    }
}
