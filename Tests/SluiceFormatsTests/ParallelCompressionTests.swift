import Foundation
import Sluice
import SluiceTesting
import Synchronization
import Testing

@testable import SluiceFormats

@Suite("Parallel compression: independent members, in order, bounded")
struct ParallelCompressionTests {
    static let codecs: [Compression] = [.gzip, .bzip2, .lz4, .zstd]

    /// Input bytes per member at the codec's default level.
    static func chunkSize(_ compression: Compression) -> Int {
        switch compression {
        case .gzip: return GzipEncoder.chunkSize
        case .bzip2: return BZip2Encoder.chunkSize(level: 9)
        case .lz4: return LZ4Encoder.chunkSize
        default: return ZstdEncoder.chunkSize
        }
    }

    /// Sizes around the real chunk size: nothing, one byte, a chunk less one, one chunk, a chunk and a byte, several.
    static let cases: [(Compression, Int)] = codecs.flatMap { codec in
        let chunk = chunkSize(codec)
        return [0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk + 12_345].map { (codec, $0) }
    }

    @Test("our decoder, `tool -t` and `tool -dc` all read back exactly what was written", arguments: cases)
    func readsBackByteIdentical(compression: Compression, size: Int) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("out." + compression.fileExtension)
        let text = asciiText(bytes: size)
        try writeInPieces(text, to: path, compression)
        #expect(try readAll(path, chunkSize: 65_536) == text)
        try expectToolAccepts(path, compression, equals: text, in: directory)
    }

    @Test("members are the chunks compressed one by one, in input order", arguments: codecs)
    func membersAreIndependentChunksInOrder(compression: Compression) throws {
        let chunk = Self.chunkSize(compression)
        let text = asciiText(bytes: 4 * chunk + 777)
        let sink = MemorySink()
        let output = try CompressedOutput(sink: sink, compression: compression)
        try text.withUnsafeBytes { try output.write($0) }
        try output.finish()

        var expected: [UInt8] = []
        for start in stride(from: 0, to: text.count, by: chunk) {
            expected += try compressAlone(Array(text[start..<min(start + chunk, text.count)]), compression)
        }
        #expect(sink.bytes.count == expected.count)
        #expect(sink.bytes == expected)
    }

    @Test("an empty input is still one valid member", arguments: codecs)
    func emptyInputIsOneMember(compression: Compression) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("empty." + compression.fileExtension)
        try writeCompressed([], to: path, compression)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // gzip: 10-byte header, an empty final block (2 bytes), CRC-32 and length; bzip2: `BZh9` and the 10-byte
        // end-of-stream marker with the combined CRC; lz4: 7-byte header, end mark, content checksum; zstd: 6-byte
        // header, one empty raw block (3 bytes), content checksum.
        let expected: [Compression: Int] = [.gzip: 20, .bzip2: 14, .lz4: 15, .zstd: 13]
        #expect(bytes.count == expected[compression])
        #expect(Compression.detect(magic: bytes) == compression)
        #expect(try readAll(path).isEmpty)
        try expectToolAccepts(path, compression, equals: [], in: directory)
    }

    @Test("many small members: a worker pool with tiny chunks keeps order and bounds what is in flight")
    func manySmallMembers() throws {
        let configuration = ParallelMemberEncoder.Configuration(chunkSize: 1000, workerCount: 3)
        let threads = ThreadRecorder()
        let encoder = try ParallelMemberEncoder(configuration) { try RecordingEncoder(threads: threads) }
        let text = asciiText(bytes: 537_219)
        var output: [UInt8] = []
        try encode(text, with: encoder, pieces: 4093) { output.append(contentsOf: $0) }

        let directory = try TemporaryDirectory()
        let path = try directory.write("small-members.gz", output)
        #expect(try readAll(path) == text)
        try expectToolAccepts(path, .gzip, equals: text, in: directory)
        #expect(encoder.membersAllocated <= configuration.membersInFlight + 1)
        #expect(threads.members == 538)
        // Worker threads (at least two of the three), and the writer's thread if it helped while waiting.
        let workerThreads = threads.distinctThreads - (threads.ranOn(pthread_self()) ? 1 : 0)
        #expect((2...3).contains(workerThreads))
    }

    @Test("an output smaller than one chunk starts no thread")
    func smallOutputStaysOnTheCallersThread() throws {
        let threads = ThreadRecorder()
        let encoder = try ParallelMemberEncoder(.init(chunkSize: 1 << 20, workerCount: 2)) {
            try RecordingEncoder(threads: threads)
        }
        var output: [UInt8] = []
        try encode(asciiText(bytes: 5000), with: encoder, pieces: 1000) { output.append(contentsOf: $0) }
        #expect(!encoder.hasStartedWorkers)
        #expect(threads.members == 1)
        #expect(threads.ranOn(pthread_self()))
    }

    @Test("a worker's error surfaces from the next call as the SluiceError it threw, and again after")
    func workerErrorSurfaces() throws {
        let encoder = try ParallelMemberEncoder(.init(chunkSize: 1000, workerCount: 2)) {
            try RecordingEncoder(threads: ThreadRecorder(), failAtMember: 5)
        }
        let text = asciiText(bytes: 50_000)
        var emitted = 0
        let error = sluiceError {
            try encode(text, with: encoder, pieces: 1000) { emitted += $0.count }
        }
        #expect(error?.code == .io)
        #expect(error?.message == "gzip: deflate failed (test)")
        let again = sluiceError { try encoder.finish { _ in } }
        #expect(again?.message == "gzip: deflate failed (test)")
    }

    @Test("finishing twice emits nothing more; writing after finishing is refused")
    func finishIsFinal() throws {
        let encoder = try ParallelMemberEncoder(.init(chunkSize: 1000, workerCount: 2)) { try GzipEncoder(level: 6) }
        var output: [UInt8] = []
        try encode(asciiText(bytes: 5500), with: encoder, pieces: 700) { output.append(contentsOf: $0) }
        let finished = output
        try encoder.finish { output.append(contentsOf: $0) }
        #expect(output == finished)
        let error = sluiceError {
            try [UInt8](repeating: 65, count: 10).withUnsafeBytes { try encoder.encode($0) { _ in } }
        }
        #expect(error?.code == .invalidRequest)
        #expect(error?.message == "compressed output: bytes written after it was finished")
    }

    @Test(
        "a failing sink surfaces its error and leaves no file, not even the temporary",
        arguments: [
            Compression.gzip, .bzip2, .lz4, .zstd,
        ]
    )
    func failingSinkLeavesNoFile(compression: Compression) throws {
        let directory = try TemporaryDirectory()
        let output = try CompressedOutput(
            sink: FailingSink(path: directory.file("out"), failAfter: 100_000),
            compression: compression
        )
        let text = asciiText(bytes: 4 << 20)
        let writeError = sluiceError {
            try text.withUnsafeBytes { all in
                for start in stride(from: 0, to: all.count, by: 1 << 20) {
                    try output.write(UnsafeRawBufferPointer(rebasing: all[start..<min(start + (1 << 20), all.count)]))
                }
            }
        }
        let finishError = sluiceError { try output.finish() }
        #expect((writeError ?? finishError)?.message == "disk full (test)")
        #expect(finishError?.message == "disk full (test)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("the level is applied to every member", arguments: codecs)
    func levelApplies(compression: Compression) throws {
        let text = asciiText(bytes: 3 << 20)
        var sizes: [Int] = []
        for level in [1, 9] {  // lz4: fast against high compression; zstd: 1 against 9
            let sink = MemorySink()
            let output = try CompressedOutput(sink: sink, compression: compression, level: level)
            try text.withUnsafeBytes { try output.write($0) }
            try output.finish()
            sizes.append(sink.bytes.count)
        }
        #expect(sizes[1] < sizes[0])
    }
}

/// Checks `path` with `TOOL -t` and that `TOOL -dc` prints exactly `text` (ASCII).
func expectToolAccepts(
    _ path: String,
    _ compression: Compression,
    equals text: [UInt8],
    in directory: TemporaryDirectory
) throws {
    let url = URL(fileURLWithPath: directory.path)
    let tested = try SluiceProcess.runTool(compression.rawValue, ["-t", path], in: url)
    #expect(tested.status == 0, "\(compression.rawValue) -t: \(tested.error)")
    let decoded = try SluiceProcess.runTool(compression.rawValue, ["-dc", path], in: url)
    #expect(decoded.status == 0, "\(compression.rawValue) -dc: \(decoded.error)")
    #expect(decoded.output.utf8.count == text.count)
    #expect(Array(decoded.output.utf8) == text)
}

/// Writes `bytes` compressed to `path` in odd-sized pieces, so writes straddle chunk boundaries.
func writeInPieces(_ bytes: [UInt8], to path: String, _ compression: Compression) throws {
    let output = try CompressedOutput(path: path, compression: compression)
    try bytes.withUnsafeBytes { all in
        for start in stride(from: 0, to: all.count, by: 65_521) {
            try output.write(UnsafeRawBufferPointer(rebasing: all[start..<min(start + 65_521, all.count)]))
        }
    }
    try output.finish()
}

/// `bytes` compressed as one member by the codec's encoder on its own.
private func compressAlone(_ bytes: [UInt8], _ compression: Compression) throws -> [UInt8] {
    let encoder: any StreamEncoder
    switch compression {
    case .gzip: encoder = try GzipEncoder(level: 6)
    case .bzip2: encoder = try BZip2Encoder(level: 9)
    case .lz4: encoder = try LZ4Encoder(level: 0)
    default: encoder = try ZstdEncoder(level: 3)
    }
    var output: [UInt8] = []
    try bytes.withUnsafeBytes { try encoder.encode($0) { output.append(contentsOf: $0) } }
    try encoder.finish { output.append(contentsOf: $0) }
    return output
}

/// Feeds `bytes` to `encoder` in pieces of `pieces` bytes, then finishes.
private func encode(
    _ bytes: [UInt8],
    with encoder: ParallelMemberEncoder,
    pieces: Int,
    emit: (UnsafeRawBufferPointer) throws -> Void
) throws {
    try bytes.withUnsafeBytes { all in
        for start in stride(from: 0, to: all.count, by: pieces) {
            try encoder.encode(
                UnsafeRawBufferPointer(rebasing: all[start..<min(start + pieces, all.count)]),
                emit: emit
            )
        }
    }
    try encoder.finish(emit: emit)
}

/// Price-like ASCII lines, `bytes` long (a prefix of one shared text), compressible but not trivially.
func asciiText(bytes count: Int) -> [UInt8] {
    precondition(count <= sharedText.count)
    return Array(sharedText.prefix(count))
}

/// 18 MiB of price-like lines from a fixed pseudo-random sequence, made once.
private let sharedText: [UInt8] = {
    var text: [UInt8] = []
    text.reserveCapacity((18 << 20) + 64)
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func appendNumber(_ value: UInt64, _ text: inout [UInt8]) {
        if value >= 10 { appendNumber(value / 10, &text) }
        text.append(0x30 + UInt8(value % 10))
    }
    while text.count < 18 << 20 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        text += [0x53, 0x59, 0x4D]  // SYM
        appendNumber(state >> 60, &text)
        text += [0x2C, 0x32, 0x30, 0x32, 0x35, 0x2D, 0x30, 0x38, 0x2D]  // ,2025-08-
        appendNumber(10 + (state >> 33) % 19, &text)
        text.append(0x2C)
        appendNumber((state >> 40) % 100_000, &text)
        text.append(0x2E)
        appendNumber((state >> 20) % 90 + 10, &text)
        text.append(0x0A)
    }
    return text
}()

/// Which threads compressed members, and how many members.
final class ThreadRecorder: Sendable {
    private let state = Mutex<(members: Int, threads: [pthread_t])>((0, []))

    func record() -> Int {
        state.withLock { state in
            state.members += 1
            if !state.threads.contains(where: { pthread_equal($0, pthread_self()) != 0 }) {
                state.threads.append(pthread_self())
            }
            return state.members
        }
    }

    var members: Int { state.withLock { $0.members } }
    var distinctThreads: Int { state.withLock { $0.threads.count } }
    func ranOn(_ thread: pthread_t) -> Bool {
        state.withLock { $0.threads.contains { pthread_equal($0, thread) != 0 } }
    }
}

/// A gzip member encoder that records the thread of each member and can fail at a given member.
final class RecordingEncoder: MemberEncoder {
    private let gzip = try! GzipEncoder(level: 1)
    private let threads: ThreadRecorder
    private let failAtMember: Int?

    init(threads: ThreadRecorder, failAtMember: Int? = nil) throws {
        self.threads = threads
        self.failAtMember = failAtMember
    }

    func reset() throws { try gzip.reset() }

    func encode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try gzip.encode(input, emit: emit)
    }

    func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        let member = threads.record()
        if member == failAtMember { throw SluiceError(.io, "gzip: deflate failed (test)") }
        try gzip.finish(emit: emit)
    }
}

/// A file sink that fails once more than `failAfter` bytes were written.
final class FailingSink: ByteSink {
    private let file: FileSink
    private let failAfter: Int
    private var written = 0

    init(path: String, failAfter: Int) throws {
        file = try FileSink(path: path)
        self.failAfter = failAfter
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        written += bytes.count
        if written > failAfter { throw SluiceError(.io, "disk full (test)") }
        try file.write(bytes)
    }

    func finish() throws { try file.finish() }
    func abandon() { file.abandon() }
}
