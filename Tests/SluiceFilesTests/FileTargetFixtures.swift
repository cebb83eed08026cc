import Foundation
import Sluice
import SluiceFiles
import SluiceFormats
import SluiceTesting
import Testing

/// A file target in a temporary directory, removed afterwards.
struct Lake {
    let directory: URL
    let loader: FileLoader

    /// CSV with zstd: the text path, which the layout tests read by hand. Parquet has tests of its own.
    static let csv = FileOutputOptions(format: .csv, compression: .zstd)

    init(output: FileOutputOptions = Lake.csv) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-lake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        loader = FileLoader(directory: directory.path, output: output)
    }

    /// Runs `body` with a fresh lake and removes it afterwards.
    static func with<T>(
        output: FileOutputOptions = Lake.csv,
        _ body: (Lake) async throws -> T
    ) async throws -> T {
        let lake = try Lake(output: output)
        defer { try? FileManager.default.removeItem(at: lake.directory) }
        return try await body(lake)
    }

    /// The table's folder.
    func folder(_ table: String = Quotes.table) -> URL { directory.appendingPathComponent(table) }

    /// Every data file of `table` (relative paths, sorted), leftovers included.
    func dataFiles(_ table: String = Quotes.table) -> [String] {
        let root = folder(table).path
        let all = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String]) ?? []
        return all.filter { path in
            !path.hasPrefix("_sluice") && !path.hasSuffix("/")
                && (try? FileManager.default.attributesOfItem(atPath: root + "/" + path)[.type] as? FileAttributeType)
                    == .typeRegular
        }.sorted()
    }

    /// The latest manifest of `table`, decoded from its file.
    func latestManifest(_ table: String = Quotes.table) throws -> Manifest {
        let versions = folder(table).appendingPathComponent("_sluice/versions")
        let names = try FileManager.default.contentsOfDirectory(atPath: versions.path).filter { $0.hasSuffix(".json") }
        let data = try Data(contentsOf: versions.appendingPathComponent(try #require(names.sorted().last)))
        return try JSONDecoder().decode(Manifest.self, from: data)
    }

    /// Loads `rows` of `schema` with `strategy`, and checks that `verify` passes after it.
    @discardableResult
    func load(
        _ rows: [[Value]],
        _ strategy: LoadingStrategy,
        key: [String] = Quotes.key,
        table: String = Quotes.table,
        schema: Schema = Quotes.schema,
        configure: (inout LoadRequest) -> Void = { _ in }
    ) async throws -> LoadResult {
        var request = LoadRequest(table: table, strategy: strategy, keyColumns: key)
        configure(&request)
        let result = try await loader.load(
            try RecordStream(schema: schema, source: "quotes.csv", rows: rows),
            request: request
        )
        let verification = try await loader.verify(table: table)
        #expect(verification.isValid, "verify: \(verification)")
        return result
    }

    /// The table's rows read back, sorted, as canonical text per value (`nil` for NULL).
    func contents(_ table: String = Quotes.table) async throws -> [[String?]] {
        try await loader.contents(table)
    }
}

/// The quotes table the file target tests load: keyed by symbol and date, partitionable by date.
enum Quotes {
    static let table = "quotes"
    static let key = PriceRows.key
    static let schema = PriceRows.schema

    static func row(_ symbol: String, _ date: String, _ close: String, _ volume: Int64 = 100) -> [Value] {
        PriceRows.row(symbol, date, close, volume)
    }

    /// `count` rows per month over `months` months of 2024, for `symbols` symbols.
    static func rows(months: ClosedRange<Int>, symbols: Int = 3, close: String = "10.0000") -> [[Value]] {
        var rows: [[Value]] = []
        for month in months {
            for day in [2, 15] {
                for symbol in 0..<symbols {
                    let date = "2024-" + (month < 10 ? "0" : "") + "\(month)-" + (day < 10 ? "0" : "") + "\(day)"
                    rows.append(row("S\(symbol)", date, close, Int64(month * 100 + day)))
                }
            }
        }
        return rows
    }
}

/// Every column type, NULLs, unicode, an exact decimal with trailing zeros, a microsecond timestamp.
enum Typed {
    static let schema = Schema(
        columns: [
            Column("id", .int64, isNullable: false), Column("flag", .bool), Column("ratio", .double),
            Column("price", .decimal(precision: 18, scale: 4)), Column("name", .string), Column("day", .date),
            Column("at", .timestamp), Column("blob", .bytes), Column("doc", .json),
        ],
        keyColumns: ["id"]
    )

    static let rows: [[Value]] = [
        [
            .int64(1), .bool(true), .double(0.25), .decimal(ExactDecimal("123.4500")!), .string("Zürich ☃, \"quoted\""),
            .date(CivilDate("2024-02-29")!), .timestamp(Timestamp(microsecondsSinceEpoch: 1_709_164_800_123_456)),
            .bytes([0, 1, 254, 255]), .json(#"{"a": [1, 2]}"#),
        ],
        [.int64(2), .null, .null, .null, .null, .null, .null, .null, .null],
        [
            .int64(3), .bool(false), .double(-1e300), .decimal(ExactDecimal("-0.0001")!), .string("line\nbreak"),
            .date(CivilDate("1969-12-31")!), .timestamp(Timestamp(microsecondsSinceEpoch: -1)), .bytes([]),
            .json("[]"),
        ],
        [
            .int64(4), .bool(true), .double(3.5), .decimal(ExactDecimal("0.0000")!), .string(""),
            .date(CivilDate("2024-01-01")!), .timestamp(Timestamp(microsecondsSinceEpoch: 0)), .bytes([7]),
            .json(#"{"b": null}"#),
        ],
    ]
}
