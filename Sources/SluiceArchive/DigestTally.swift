import Sluice

/// A multiset of row digests: what an archive holds, so that exactly those rows (by content) can be found in, and
/// removed from, the source.
struct DigestTally: Sendable {
    private(set) var counts: [ContentChecksum: Int] = [:]
    /// Rows added and not yet removed.
    private(set) var count = 0
    /// The sum of the digests added and not yet removed: the rows' content checksum.
    private(set) var checksum = ContentChecksum.zero

    mutating func add(_ digest: ContentChecksum) {
        counts[digest, default: 0] += 1
        count += 1
        checksum.add(digest)
    }

    /// Removes one row with `digest`; `false` when the tally holds none.
    mutating func remove(_ digest: ContentChecksum) -> Bool {
        guard let held = counts[digest] else { return false }
        counts[digest] = held == 1 ? nil : held - 1
        count -= 1
        checksum.subtract(digest)
        return true
    }

    /// The tally of every row of `stream`.
    static func of(_ stream: RecordStream) async throws -> DigestTally {
        let digester = RowDigester(schema: stream.schema)
        var tally = DigestTally()
        var buffer: [UInt8] = []
        for try await batch in stream {
            for row in 0..<batch.count { tally.add(digester.digest(row: row, of: batch, buffer: &buffer)) }
        }
        return tally
    }
}
