import FuzzSupport
import SluiceFormats

/// libFuzzer's entry: the bytes as a Parquet file, read to the end (footer, schema, every row group and page)
/// through `FileSource`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    FuzzInput.readAll(
        FuzzInput.scratchFile(bytes, fileExtension: "parquet"),
        options: FuzzInput.smallOptions(format: .parquet)
    )
    return 0
}
