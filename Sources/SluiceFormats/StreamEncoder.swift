import Sluice

/// A streaming compressor: plain bytes in, compressed bytes handed to `emit` as they come.
protocol StreamEncoder: AnyObject {
    /// Compresses `input`, emitting any compressed output ready.
    func encode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws
    /// Ends the stream, emitting everything left (trailer, checksum).
    func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws
}

extension Compression {
    /// An encoder for this compression at `level`, or `nil` for ``none``.
    func makeEncoder(level: Int) throws -> (any StreamEncoder)? {
        guard levels.contains(level) else {
            throw SluiceError(
                .invalidRequest,
                "\(rawValue) compression level \(level) is out of range \(levels.lowerBound)-\(levels.upperBound)"
            )
        }
        switch self {
        case .none: return nil
        case .gzip: return try GzipEncoder(level: level)
        case .bzip2: return try BZip2Encoder(level: level)
        case .lz4: return try LZ4Encoder(level: level)
        case .zstd: return try ZstdEncoder(level: level)
        }
    }
}

/// The scratch buffer encoders compress into before emitting.
let encoderOutputSize = 256 * 1024
