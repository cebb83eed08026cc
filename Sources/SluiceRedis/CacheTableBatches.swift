import Sluice

/// The batches of one read of a cache table (``RedisLoader/read(table:)``): one version's keys, page by page, read
/// under the table's lock, with a check at the end that they are that version.
///
/// The rows' digests are summed as the pages pass (nothing but the running sum is kept). At the end, before the
/// stream reports its end, the lock is given back and the sum is compared with the version's checksum: keys that
/// expired, were evicted or were written by hand make the stream fail there, so a consumer that commits only at the
/// end of its input (a load, an export) commits nothing. A consumer that stops early leaves the lock to expire
/// (its life is ``RedisLoader/readLockLifetime`` at most; renewed as the pages are pulled).
struct CacheTableBatches: AsyncSequence, Sendable {
    typealias Element = RecordBatch

    let pages: CacheTablePages
    let lock: CacheTableLock

    func makeAsyncIterator() -> Iterator { Iterator(pages: pages, lock: lock) }

    struct Iterator: AsyncIteratorProtocol {
        let pages: CacheTablePages
        let lock: CacheTableLock
        private let digester: RowDigester
        private var index = 0
        private var ended = false
        private var checksum = ContentChecksum.zero
        private var missingKeys = 0
        private var problem: String?
        private var renewed = ContinuousClock.now

        init(pages: CacheTablePages, lock: CacheTableLock) {
            self.pages = pages
            self.lock = lock
            self.digester = RowDigester(schema: pages.version.schema)
        }

        mutating func next() async throws -> RecordBatch? {
            guard !ended else { return nil }
            do {
                while index < pages.count {
                    if ContinuousClock.now - renewed > lock.lifetime / 3 {
                        // A lock lost here is no danger to the result: the check at the end still fails a mixed read.
                        try? await lock.renew()
                        renewed = ContinuousClock.now
                    }
                    let page = try await pages.page(index)
                    index += 1
                    checksum.add(digester.checksum(of: page.batch))
                    missingKeys += page.missingKeys
                    problem = problem ?? page.problems.first
                    if page.batch.count > 0 { return page.batch }
                }
                ended = true
                await lock.release()
                try check()
                return nil
            } catch {
                if !ended {
                    ended = true
                    await lock.release()
                }
                throw error
            }
        }

        /// Fails when the rows read are not the version's: their digests do not sum to its checksum.
        private func check() throws {
            let version = pages.version
            guard checksum.hex != version.checksum else { return }
            var causes: [String] = []
            if missingKeys > 0 { causes.append("\(missingKeys) of its \(pages.keys.count) keys are missing") }
            if let problem { causes.append("a value is not a row: \(problem)") }
            throw SluiceError(
                .targetFailure,
                "table '\(pages.table)': the rows read sum to \(checksum.hex), but version \(version.id) recorded "
                    + "\(version.checksum): the table changed without a version (keys expired, evicted or written by "
                    + "hand)" + (causes.isEmpty ? "" : "; " + causes.joined(separator: "; "))
            )
        }
    }
}
