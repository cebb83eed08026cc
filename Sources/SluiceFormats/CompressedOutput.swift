/// A ``ByteSink`` that compresses what is written to it into another sink.
public final class CompressedOutput: ByteSink {
    /// The compression applied.
    public let compression: Compression
    /// The level used.
    public let level: Int
    private let sink: any ByteSink
    private let encoder: (any StreamEncoder)?

    /// Compresses into `sink` with `compression` at `level` (default: the compression's ``Compression/defaultLevel``).
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) when `level` is outside ``Compression/levels``.
    public init(sink: any ByteSink, compression: Compression, level: Int? = nil) throws {
        self.sink = sink
        self.compression = compression
        self.level = level ?? compression.defaultLevel
        encoder = try compression.makeEncoder(level: self.level)
    }

    /// Compresses into a file at `path`, written under a temporary name and renamed on ``finish()``.
    public convenience init(path: String, compression: Compression, level: Int? = nil) throws {
        try self.init(sink: FileSink(path: path), compression: compression, level: level)
    }

    /// Compresses `bytes` into the sink.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let encoder else { return try sink.write(bytes) }
        try encoder.encode(bytes) { try sink.write($0) }
    }

    /// Ends the compressed stream and completes the sink; on failure the sink is abandoned.
    public func finish() throws {
        do {
            try encoder?.finish { try sink.write($0) }
            try sink.finish()
        } catch {
            sink.abandon()
            throw error
        }
    }

    /// Abandons the sink (a file's temporary is removed).
    public func abandon() {
        sink.abandon()
    }
}
