import FuzzSupport
import SluiceFormats

/// libFuzzer's entry: the bytes as a CSV file with a header, then as a TSV file without one, each read to the end
/// (schema inference, then every batch) through `FileSource`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    FuzzInput.readAll(FuzzInput.scratchFile(bytes, fileExtension: "csv"), options: FuzzInput.smallOptions(format: .csv))
    var options = FuzzInput.smallOptions(format: .tsv)
    options.hasHeader = false
    FuzzInput.readAll(FuzzInput.scratchFile(bytes, fileExtension: "tsv"), options: options)
    return 0
}
