import Sluice
import Testing

@testable import SluiceFormats

/// An encoder whose C library refuses to start throws a one-line error, and frees what it allocated once (it used to
/// free the stream and the output buffer in the initialiser and again in `deinit`).
@Suite("Encoders that cannot start")
struct EncoderStartFailureTests {
    @Test("gzip with a level zlib refuses")
    func gzip() {
        for _ in 0..<100 {
            let error = #expect(throws: SluiceError.self) { _ = try GzipEncoder(level: 42) }
            #expect(error?.message.hasPrefix("gzip: zlib could not start") == true)
        }
    }

    @Test("bzip2 with a block size libbz2 refuses")
    func bzip2() {
        for _ in 0..<100 {
            let error = #expect(throws: SluiceError.self) { _ = try BZip2Encoder(level: 42) }
            #expect(error?.message.hasPrefix("bzip2: libbz2 could not start") == true)
        }
    }
}
