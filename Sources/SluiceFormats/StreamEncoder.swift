import Sluice

/// A streaming compressor: plain bytes in, compressed bytes handed to `emit` as they come.
protocol StreamEncoder: AnyObject {
    /// Compresses `input`, emitting any compressed output ready.
    func encode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws
    /// Ends the stream, emitting everything left (trailer, checksum).
    func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws
}

/// An encoder whose output can be cut into independent members (gzip members, bzip2 streams, lz4 and zstd
/// frames): after ``reset()`` it starts a new one, so one encoder per worker thread compresses member after member.
protocol MemberEncoder: StreamEncoder {
    /// Makes the encoder ready for a new member; nothing to do when it has not started one.
    func reset() throws
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
        case .gzip:
            return try ParallelMemberEncoder(.init(chunkSize: GzipEncoder.chunkSize)) {
                try GzipEncoder(level: level)
            }
        case .bzip2:
            return try ParallelMemberEncoder(.init(chunkSize: BZip2Encoder.chunkSize(level: level))) {
                try BZip2Encoder(level: level)
            }
        case .lz4:
            return try ParallelMemberEncoder(.init(chunkSize: LZ4Encoder.chunkSize)) {
                try LZ4Encoder(level: level)
            }
        case .zstd:
            return try ParallelMemberEncoder(.init(chunkSize: ZstdEncoder.chunkSize)) {
                try ZstdEncoder(level: level)
            }
        }
    }
}

/// The scratch buffer encoders compress into before emitting.
let encoderOutputSize = 256 * 1024
