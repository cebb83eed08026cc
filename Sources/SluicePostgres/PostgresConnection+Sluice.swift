import Logging
import NIOCore
import PostgresNIO

/// Every statement Sluice runs goes through ``PostgresConnection/rows(_:logger:)`` or
/// ``PostgresConnection/reduceRows(_:into:logger:_:)``, which work round two defects of postgres-nio 1.33.2 met when
/// the server dies (docs/FaultSuite.md, bug 4):
///
/// - **A query written to a closed connection is lost.** postgres-nio writes it to the channel with no promise; once
///   the channel has closed and removed its handler, the write fails unseen and the caller waits for ever. So the
///   query is written from the connection's event loop, straight after a check that the channel is active: no event
///   can come between the two, and an active channel still has the handler, which fails a query it cannot run.
/// - **The `async` row sequence can crash or hang.** A server that dies while that sequence waits for demand stops
///   the process in `RowStreamStateMachine.swift:94` or leaves the read hanging (reproduced in
///   docs/reproductions/postgres-nio-row-stream-crash.swift). The `EventLoopFuture` API used here asks for every row
///   as soon as the last arrived, never waits for demand, and meets the socket's end as an error. Large reads keep
///   bounded memory by folding each row as it arrives instead of collecting them.
extension PostgresConnection {
    /// Runs `query` and returns every row of its result.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await whileOpen { () -> EventLoopFuture<PostgresQueryResult> in self.query(query, logger: logger) }
            .get().rows
    }

    /// Runs `query` and folds every row into `initial` with `body`, on the connection's event loop, as the rows
    /// arrive; returns the folded value. A throwing `body` cancels the query and rethrows its error.
    func reduceRows<State: Sendable>(
        _ query: PostgresQuery,
        into initial: State,
        logger: Logger,
        _ body: @escaping @Sendable (inout State, PostgresRow) throws -> Void
    ) async throws -> State {
        let state = NIOLoopBoundBox.makeBoxSendingValue(initial, eventLoop: eventLoop)
        let done = whileOpen { () -> EventLoopFuture<PostgresQueryMetadata> in
            self.query(query, logger: logger) { row in try state.withValue { try body(&$0, row) } }
        }
        return try await done.map { _ in state.value }.get()
    }

    /// Calls `start` on the connection's event loop if the connection is still open there, else fails with
    /// `PostgresError.connectionClosed` (see the note on this extension).
    private func whileOpen<Value: Sendable>(
        _ start: @escaping @Sendable () -> EventLoopFuture<Value>
    ) -> EventLoopFuture<Value> {
        eventLoop.flatSubmit {
            guard !self.isClosed else { return self.eventLoop.makeFailedFuture(PostgresError.connectionClosed) }
            return start()
        }
    }

    /// Runs one statement, discarding any rows.
    func execute(_ sql: String, _ binds: PostgresBindings = PostgresBindings(), logger: Logger) async throws {
        _ = try await rows(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
    }

    /// Runs a query whose first row's first column is an integer (`count(*)`, `EXISTS`, …).
    func integer(_ sql: String, _ binds: PostgresBindings = PostgresBindings(), logger: Logger) async throws -> Int {
        let rows = try await rows(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        return try rows.first?.decode(Int?.self) ?? 0
    }

    /// Runs a query whose first row's first column is a boolean.
    func boolean(_ sql: String, _ binds: PostgresBindings = PostgresBindings(), logger: Logger) async throws -> Bool {
        let rows = try await rows(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        return try rows.first?.decode(Bool?.self) ?? false
    }

    /// Runs a data-changing statement and returns how many rows it changed:
    /// `WITH changed AS (<statement> RETURNING 1) SELECT count(*) FROM changed`.
    func changedRows(_ statement: String, logger: Logger) async throws -> Int {
        try await integer("WITH changed AS (\(statement) RETURNING 1) SELECT count(*) FROM changed", logger: logger)
    }
}

extension PostgresBindings {
    /// Bindings holding `values` as text parameters, in order.
    static func texts(_ values: String...) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values { bindings.append(value) }
        return bindings
    }
}
