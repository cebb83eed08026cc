import Crypto
import SluiceFormats

/// A ``SluiceFormats/ByteSink`` that computes the SHA-256 and size of everything written through it, on the way
/// to a file: the figures a manifest records for each file.
final class HashingSink: ByteSink {
    private let sink: any ByteSink
    private var hasher = SHA256()
    /// Bytes written so far.
    private(set) var byteCount: Int64 = 0

    init(_ sink: any ByteSink) {
        self.sink = sink
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bufferPointer: bytes)
        byteCount += Int64(bytes.count)
        try sink.write(bytes)
    }

    func finish() throws { try sink.finish() }

    func abandon() { sink.abandon() }

    /// The SHA-256 of everything written, lowercase hex. Call once, after ``finish()``.
    func digestHex() -> String {
        hasher.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

/// A ``SluiceFormats/ByteSink`` that counts the bytes written through it: the serialised size before compression.
final class CountingSink: ByteSink {
    private let sink: any ByteSink
    /// Bytes written so far.
    private(set) var byteCount: Int64 = 0

    init(_ sink: any ByteSink) {
        self.sink = sink
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        byteCount += Int64(bytes.count)
        try sink.write(bytes)
    }

    func finish() throws { try sink.finish() }

    func abandon() { sink.abandon() }
}
