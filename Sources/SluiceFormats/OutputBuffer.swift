/// A reused byte buffer that writers encode into, flushed to a ``ByteSink`` in chunks of about 1 MiB.
struct OutputBuffer {
    /// The bytes not yet flushed.
    var bytes: [UInt8] = []
    let output: any ByteSink

    /// How many bytes are gathered before they are written out.
    static let flushSize = 1 << 20

    init(output: any ByteSink) {
        self.output = output
        bytes.reserveCapacity(Self.flushSize + 64 * 1024)
    }

    /// Flushes when the buffer has reached the chunk size.
    mutating func flushIfFull() throws {
        if bytes.count >= Self.flushSize { try flush() }
    }

    /// Writes out everything buffered.
    mutating func flush() throws {
        guard !bytes.isEmpty else { return }
        try bytes.withUnsafeBytes { try output.write($0) }
        bytes.removeAll(keepingCapacity: true)
    }

    /// Appends an ASCII string.
    mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
