import Logging
import PostgresNIO
import Sluice

/// Sends the chunks of a ``ChunkChannel`` through one `COPY … FROM STDIN`, and turns a row the server rejects into
/// an error naming the row's source and line.
struct CopySender {
    let connection: PostgresConnection
    let channel: ChunkChannel<CopyChunk, InputSummary>
    let logger: Logger

    /// Chunks kept to map the server's COPY line number back to a source line (errors arrive a few chunks late).
    private static let remembered = 16

    /// Copies every chunk into `table`'s `columns`; returns the number of rows sent.
    func copy(
        into table: String,
        columns: [String],
        describe: (SluiceError) -> SluiceError = { $0 }
    ) async throws
        -> Int
    {
        var rows = 0
        var recent: [CopyChunk] = []
        do {
            // postgres-nio 1.33.2 stops the process ("Copy mode is only supported for extended queries") when a COPY
            // write, CopyDone or CopyFail reaches a connection that has closed but not yet removed its handler (a
            // server killed mid-COPY). So the copy runs on the connection's event loop: a check that the connection
            // is open and the step after it happen with no event between them (a connection that fails closes its
            // channel in that same event), and a closed connection is given time to remove its handler (its close
            // future) before any further step, which postgres-nio then fails cleanly.
            try await withTaskExecutorPreference(EventLoopExecutor(connection.eventLoop)) {
                try await ensureOpen()  // the COPY statement is written in this same event
                try await connection.copyFrom(
                    table: PostgresSyntax.doublingQuotes(table),
                    columns: columns.map(PostgresSyntax.doublingQuotes),
                    format: .text(.init()),
                    logger: logger
                ) { writer in
                    do {
                        while let chunk = try await channel.receive() {
                            rows += chunk.origins.count
                            try await ensureOpen()
                            try await writer.write(chunk.buffer)
                            var kept = chunk
                            kept.buffer = .init()
                            recent.append(kept)
                            if recent.count > Self.remembered { recent.removeFirst() }
                        }
                        try await ensureOpen()  // CopyDone follows in this same event
                    } catch {
                        if connection.isClosed { try? await connection.closeFuture.get() }  // before the CopyFail
                        throw error
                    }
                }
            }
        } catch let error as PSQLError {
            let origin = PostgresFailure.copyLine(error).flatMap { line in Self.origin(ofRow: line - 1, in: recent) }
            let place = origin.map { "\($0.source.isEmpty ? "<input>" : $0.source):\($0.line): " } ?? ""
            let message = error.serverInfo?[.message] ?? "\(error.code)"
            let state = PostgresFailure.sqlState(error)
            let code: SluiceError.Code =
                state == "23505"
                ? .keyConflict
                : state.map { PostgresFailure.transientStates.contains($0) || $0.hasPrefix("08") } == true
                    ? .transient : .targetFailure
            var detail = ""
            if state == "23505", let text = error.serverInfo?[.detail] { detail = ": " + text }
            throw describe(
                SluiceError(
                    code,
                    place + PostgresFailure.oneLine(message + detail) + (state.map { " (SQLSTATE \($0))" } ?? ""),
                    underlying: error
                )
            )
        }
        return rows
    }

    /// Throws if the connection has closed, once it has removed its handler (see ``copy(into:columns:describe:)``).
    private func ensureOpen() async throws {
        guard connection.isClosed else { return }
        try? await connection.closeFuture.get()
        throw PostgresError.connectionClosed
    }

    private static func origin(ofRow row: Int, in chunks: [CopyChunk]) -> RecordOrigin? {
        for chunk in chunks where row >= chunk.firstRow && row < chunk.firstRow + chunk.origins.count {
            return chunk.origins[row - chunk.firstRow]
        }
        return nil
    }
}
