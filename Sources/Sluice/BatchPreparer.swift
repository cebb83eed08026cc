/// A batch ready for a target: only valid rows, conformed to the table's schema, each with its row digest.
public struct PreparedBatch: Sendable {
    /// The valid rows, in the table's column order.
    public var batch: RecordBatch
    /// The digest of each row (``RowDigester``), in row order.
    public var digests: [ContentChecksum]

    /// The sum of the digests.
    public var checksum: ContentChecksum { digests.reduce(into: .zero) { $0.add($1) } }
}

/// The part of every load that does not depend on the target: conform batches to the table's schema, check
/// keys, run validators, write and count rejects, fail past the threshold, digest rows, count.
///
/// Every target runs its input through one `BatchPreparer`, so rejects, counts and checksums are the same
/// everywhere.
public struct BatchPreparer: Sendable {
    /// The table's schema (after any new columns were added).
    public let schema: Schema
    /// The load's request.
    public let request: LoadRequest
    /// Counts so far: processed, failed, validation errors, bytes.
    public private(set) var metrics = LoadingMetrics()
    /// The checksum of all valid input rows so far.
    public private(set) var inputChecksum = ContentChecksum.zero
    private let digester: RowDigester
    private let keyIndices: [Int]
    private let nonNullableIndices: [Int]
    private let rejectSink: RejectSink?
    private var firstReject: RowReject?
    private var digestBuffer: [UInt8] = []

    /// A preparer for rows loaded into a table of `schema` with `request`.
    public init(schema: Schema, request: LoadRequest) {
        self.schema = schema
        self.request = request
        self.digester = RowDigester(schema: schema)
        self.keyIndices = schema.keyIndices
        self.nonNullableIndices = schema.columns.indices.filter { !schema.columns[$0].isNullable }
        self.rejectSink = request.validation.rejectFile.map(RejectSink.init(path:))
        digestBuffer.reserveCapacity(256)
    }

    /// Validates and digests one input batch.
    ///
    /// - Throws: ``SluiceError`` with code ``SluiceError/Code/tooManyRejects`` once rejects pass
    ///   `request.validation.maximumErrors` (its message is the first reject's one line).
    public mutating func prepare(_ input: RecordBatch) throws -> PreparedBatch {
        var rejects = input.rejects
        let batch = try input.conformed(to: schema)
        var keep = [Bool](repeating: true, count: batch.count)
        var anyRejected = false
        for row in 0..<batch.count {
            if let reject = check(row: row, of: batch) {
                keep[row] = false
                anyRejected = true
                rejects.append(reject)
            }
        }
        let valid = anyRejected ? batch.filtered(keep) : batch
        metrics.recordsProcessed += input.count + input.rejects.count
        metrics.recordsFailed += rejects.count
        metrics.validationErrors += rejects.count
        if !rejects.isEmpty {
            rejects.sort { $0.line < $1.line }
            if firstReject == nil { firstReject = rejects[0] }
            try rejectSink?.write(rejects)
            if metrics.recordsFailed > request.validation.maximumErrors, let firstReject {
                throw tooManyRejects(firstReject)
            }
        }
        var digests: [ContentChecksum] = []
        digests.reserveCapacity(valid.count)
        for row in 0..<valid.count {
            let digest = digester.digest(row: row, of: valid, buffer: &digestBuffer)
            inputChecksum.add(digest)
            digests.append(digest)
        }
        return PreparedBatch(batch: valid, digests: digests)
    }

    /// Adds input bytes read to the metrics.
    public mutating func recordBytesRead(_ bytes: Int64) { metrics.bytesRead = bytes }

    /// Prepares `batch`, read from `input`, then records the bytes `input` has read so far and reports progress
    /// to `request.progress` — the step every target's producer takes per batch.
    public mutating func prepare(_ batch: RecordBatch, of input: RecordStream) throws -> PreparedBatch {
        let prepared = try prepare(batch)
        recordBytesRead(input.byteCounter.bytesRead)
        request.progress?(
            LoadProgress(
                recordsProcessed: metrics.recordsProcessed,
                bytesRead: input.byteCounter.bytesRead,
                bytesTotal: input.byteCounter.bytesTotal
            )
        )
        return prepared
    }

    /// Closes the reject file.
    public func finish() { rejectSink?.close() }

    private func check(row: Int, of batch: RecordBatch) -> RowReject? {
        let origin = batch.origin(of: row)
        for index in keyIndices where Self.isEmptyKey(batch.columns[index], row: row) {
            let name = schema.columns[index].name
            return RowReject(
                source: origin.source,
                line: origin.line,
                column: name,
                reason: "key column '\(name)' is empty",
                rule: "key"
            )
        }
        for index in nonNullableIndices where batch.columns[index].isNull(row) {
            let column = schema.columns[index]
            return RowReject(
                source: origin.source,
                line: origin.line,
                column: column.name,
                reason: "NULL in non-nullable column '\(column.name)'",
                rule: "not-null"
            )
        }
        guard !request.validation.validators.isEmpty else { return nil }
        let view = RowView(batch: batch, row: row)
        for validator in request.validation.validators {
            if let failure = validator.check(view) {
                return RowReject(
                    source: origin.source,
                    line: origin.line,
                    column: failure.column,
                    reason: failure.reason,
                    rule: validator.name
                )
            }
        }
        return nil
    }

    /// Whether a key value is missing: NULL, or an empty string.
    private static func isEmptyKey(_ column: ColumnValues, row: Int) -> Bool {
        if column.isNull(row) { return true }
        if case .string(let vector) = column { return vector.values[row].isEmpty }
        return false
    }

    private func tooManyRejects(_ first: RowReject) -> SluiceError {
        let allowed = request.validation.maximumErrors
        let suffix = allowed == 0 ? "" : " (more than --max-errors \(allowed) rejected)"
        return SluiceError(.tooManyRejects, first.description + suffix, underlying: first)
    }
}
