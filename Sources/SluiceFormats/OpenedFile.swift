import Sluice

/// A file opened for reading: its decompressed bytes in a window, its compression and format decided.
struct OpenedFile {
    let path: String
    var window: ByteWindow
    let format: FileFormat

    /// The compression detected (or given).
    var compression: Compression { window.input.compression }

    /// Opens `path`: compression from the magic bytes (unless given), format from the options, the extension,
    /// or the first bytes.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`io`) when the file cannot be read; (`malformedInput`) when it is empty.
    static func open(
        _ path: String,
        options: ReadOptions,
        byteCounter: ByteCounter = ByteCounter(),
        addsSizeToTotal: Bool = true
    ) throws -> OpenedFile {
        let input = try ByteInput(
            path: path,
            compression: options.compression,
            byteCounter: byteCounter,
            chunkSize: options.chunkSize,
            addsSizeToTotal: addsSizeToTotal
        )
        input.lineHint = 1
        var window = ByteWindow(input: input, readSize: options.chunkSize)
        _ = try window.refill()
        let bytes = window.bytes(window.start, window.end)
        if window.isExhausted || bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            while window.end - window.start < 4096, try window.refill() {}
            if window.bytes(window.start, window.end).allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
                throw SluiceError(.malformedInput, "\(path): the file is empty")
            }
        }
        let format =
            options.format ?? FileFormat(fileName: path) ?? FileFormat.sniff(window.bytes(window.start, window.end))
        return OpenedFile(path: path, window: window, format: format)
    }
}
