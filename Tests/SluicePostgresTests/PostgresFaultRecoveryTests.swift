import Foundation
import Sluice
import SluicePostgres
import SluiceTesting
import Testing

/// A load whose connection goes away during its `COPY` — the server killed, or the loader's backend terminated —
/// fails in one line and changes nothing; after the server is back, a rerun applies exactly once and a second rerun
/// changes nothing.
@Suite("PostgreSQL loads interrupted during the COPY")
struct PostgresFaultRecoveryTests {
    // MARK: The server killed during the COPY

    @Test(
        "a server killed during the COPY fails the load; after a restart the table is as before and a rerun applies once",
        arguments: [LoadingStrategy.append, .upsert]
    )
    func serverKilledDuringCopy(strategy: LoadingStrategy) async throws {
        try await withPostgresServer { server in
            let database = try server.createDatabase(prefix: "killed")
            let application = applicationName("killed")
            let url = server.url(database: database, application: application)
            let seeding = Ticks.request(strategy == .append ? .append : .upsert)
            let base = try await withChunkedLoader(url) { loader in
                try await loader.load(Ticks.stream(ids: 0..<1000), request: seeding)
            }
            let baseVersion = try #require(base.version)
            let before = try server.observe(Ticks.table, database: database)
            let gate = Gate(holdAfter: 6)

            let error = try await withChunkedLoader(url) { loader in
                try await Self.failedLoad(
                    loader,
                    Self.faultStream(strategy, gate: gate),
                    request: Ticks.request(strategy),
                    gate: gate
                ) {
                    try await waitUntil("the COPY has rows", timeout: .seconds(60)) {
                        try server.copiedRows(database: database, application: application) > 0
                    }
                    try await blocking { try server.kill() }
                }
            }
            Self.expectOneLine(error)
            // What the loader learns depends on timing (connection reset, refused, or "shutting down" from the probe);
            // each names the target and may be retried.
            #expect(error.isTransient, "\(error.code): \(error.message)")
            #expect(error.message.hasPrefix("postgres://postgres@127.0.0.1:\(server.port)/"), "\(error.message)")

            try await blocking { try server.start() }
            #expect(try server.observe(Ticks.table, database: database) == before)
            try await withChunkedLoader(url) { loader in
                try await Self.expectUnchanged(loader, since: base, rows: 1000)
                let rerun = try await loader.load(Self.faultStream(strategy), request: Ticks.request(strategy))
                let version = try #require(rerun.version)
                #expect(version.parentID == baseVersion.id)
                #expect(rerun.metrics.recordsInserted == (strategy == .append ? 20_000 : 19_500))
                #expect(rerun.metrics.recordsUpdated == (strategy == .append ? 0 : 500))
                #expect(version.recordCount == (strategy == .append ? 21_000 : 20_500))
                #expect(try await loader.verify(table: Ticks.table).isValid)

                let again = try await loader.load(Self.faultStream(strategy), request: Ticks.request(strategy))
                #expect(again.version == nil)
                #expect(again.currentVersionID == version.id)
                #expect(again.checksum == version.checksum)
                #expect(again.metrics.recordsInserted == 0 && again.metrics.recordsUpdated == 0)
                #expect(again.metrics.recordsSkipped == 20_000)
                #expect(try await loader.versions(table: Ticks.table).map(\.id) == [baseVersion.id, version.id])
                #expect(try await loader.verify(table: Ticks.table).actualRecordCount == version.recordCount)
            }
        }
    }

    // MARK: The connection terminated during the COPY

    @Test(
        "the loader's connection terminated during the COPY fails the load in one line and changes nothing",
        arguments: [LoadingStrategy.append, .upsert, .replace]
    )
    func connectionTerminatedDuringCopy(strategy: LoadingStrategy) async throws {
        let server = try PostgresServer.shared
        let database = try server.createDatabase(prefix: "terminated_\(strategy.rawValue)")
        let application = applicationName("terminated")
        let url = server.url(database: database, application: application)
        try await withChunkedLoader(url) { loader in
            let base = try await loader.load(Ticks.stream(ids: 0..<1000), request: Ticks.request(.upsert))
            let gate = Gate(holdAfter: 6)
            let error = try await Self.failedLoad(
                loader,
                Self.faultStream(strategy, gate: gate),
                request: Ticks.request(strategy),
                gate: gate
            ) {
                try await waitUntil("the COPY has rows", timeout: .seconds(60)) {
                    try server.copiedRows(database: database, application: application) > 0
                }
                let ended = try await blocking {
                    try server.psql(
                        """
                        SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                        WHERE application_name = '\(application)' AND query LIKE 'COPY%'
                        """,
                        database: database
                    )
                }
                #expect(ended == "1")
            }
            Self.expectOneLine(error)
            // The server's FATAL reaches the COPY writer, or only the closed connection does, depending on timing;
            // either names the target.
            #expect(
                error.message.hasSuffix(": the server closed the connection (server stopped or backend terminated)")
                    || error.message.hasSuffix(
                        ": terminating connection due to administrator command (SQLSTATE 57P01)"
                    ),
                "\(error.message)"
            )
            #expect(error.message.hasPrefix("postgres://postgres@127.0.0.1:\(server.port)/"), "\(error.message)")
            try await Self.expectUnchanged(loader, since: base, rows: 1000)

            let rerun = try await loader.load(Self.faultStream(strategy), request: Ticks.request(strategy))
            let version = try #require(rerun.version)
            #expect(version.parentID == base.version?.id)
            #expect(rerun.metrics.recordsInserted == (strategy == .append ? 20_000 : 19_500))
            #expect(rerun.metrics.recordsUpdated == (strategy == .append ? 0 : 500))
            #expect(rerun.metrics.recordsDeleted == (strategy == .replace ? 500 : 0))
            #expect(version.recordCount == (strategy == .append ? 21_000 : strategy == .replace ? 20_000 : 20_500))
            #expect(try await loader.verify(table: Ticks.table).isValid)
            #expect(try await loader.versions(table: Ticks.table).count == 2)
        }
    }

    // MARK: Helpers

    /// The 20 000 rows a faulted load sends over a 1 000-row table (ids 0..<1000): new ids for append (the table
    /// may be keyed), and for the keyed strategies 500 existing ids (changed) and 19 500 new ones. Sent in batches
    /// of 1000, held after 6 batches: several 16 KiB COPY chunks.
    static func faultInput(_ strategy: LoadingStrategy) -> Range<Int> {
        strategy == .append ? 1000..<21_000 : 500..<20_500
    }

    static func faultStream(_ strategy: LoadingStrategy, gate: Gate? = nil) -> RecordStream {
        Ticks.stream(ids: faultInput(strategy), revision: 1, batchSize: 1000, gate: gate)
    }

    /// Starts `input`'s load, runs `fault` once the stream holds at its gate, opens the gate, and returns the error
    /// the load fails with (recording an issue if it succeeds).
    static func failedLoad(
        _ loader: any Loader,
        _ input: RecordStream,
        request: LoadRequest,
        gate: Gate,
        fault: () async throws -> Void
    ) async throws -> SluiceError {
        async let outcome = Self.outcome { try await loader.load(input, request: request) }
        do {
            try await waitUntil("the input holds at its gate") { gate.isHolding }
            try await fault()
        } catch {
            gate.open()
            _ = await outcome
            throw error
        }
        gate.open()
        switch await outcome {
        case .success(let result):
            throw FaultTestError("the load succeeded (version \(result.version?.id ?? "none"))")
        case .failure(let error as SluiceError):
            return error
        case .failure(let error):
            throw FaultTestError("the load failed with \(type(of: error)), not a SluiceError: \(error)")
        }
    }

    static func outcome(_ body: () async throws -> LoadResult) async -> Result<LoadResult, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    static func expectOneLine(_ error: SluiceError, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
        #expect(!error.message.contains("\n"), "\(error.message)", sourceLocation: sourceLocation)
    }

    /// Checks that the table holds exactly what `base` loaded: same latest version, checksum and row count.
    static func expectUnchanged(
        _ loader: any Loader,
        since base: LoadResult,
        rows: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let verification = try await loader.verify(table: Ticks.table)
        #expect(verification.isValid, "\(verification)", sourceLocation: sourceLocation)
        #expect(verification.versionID == base.version?.id, sourceLocation: sourceLocation)
        #expect(verification.actualChecksum == base.checksum, sourceLocation: sourceLocation)
        #expect(verification.actualRecordCount == rows, sourceLocation: sourceLocation)
        let versions = try await loader.versions(table: Ticks.table)
        #expect(versions.map(\.id) == [base.version?.id].compactMap { $0 }, sourceLocation: sourceLocation)
    }
}
