import FuzzSupport
import Sluice
import SluiceFormats

/// A schema with one column of every type, for decoding values the inferred schema would not ask for.
private let everyType = Schema(
    columns: [
        Column("b", .bool), Column("i", .int64), Column("d", .double), Column("n", .decimal(precision: 9, scale: 2)),
        Column("s", .string), Column("day", .date), Column("t", .timestamp), Column("x", .bytes), Column("j", .json),
    ]
)

/// libFuzzer's entry: the bytes as a JSON file (an array of objects, or JSON Lines when it starts with `{`), read
/// to the end through `FileSource`, then as in-memory JSON Lines through `JSONLines.decode` (how the Redis
/// target reads values back) with a schema of every type.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    FuzzInput.readAll(FuzzInput.scratchFile(bytes, fileExtension: "json"), options: FuzzInput.smallOptions(format: nil))
    _ = try? JSONLines.decode(Array(bytes), schema: everyType, source: "fuzz.jsonl")
    return 0
}
