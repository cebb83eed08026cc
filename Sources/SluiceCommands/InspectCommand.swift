import ArgumentParser
import Sluice
import SluiceFormats

/// `sluice inspect FILE`: format, compression, inferred schema, row count and sample rows.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a file's format, compression, inferred schema, row count and sample rows."
    )

    @Argument(help: "The file to inspect.")
    var file: String

    @Option(help: "Sample rows to show (default 5).")
    var sample = 5

    @Flag(name: .customLong("no-count"), help: "Do not read the whole file to count rows.")
    var noCount = false

    @OptionGroup var reading: ReadingOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        do {
            let inspection = try FileSource.inspect(
                path: file,
                options: reading.readOptions(),
                sampleSize: sample,
                countRows: !noCount
            )
            Terminal.print(output.json ? json(inspection) : text(inspection))
        } catch {
            Terminal.report(error)
            throw ExitCode.failure
        }
    }

    func json(_ inspection: FileInspection) -> String {
        var object = JSONObject()
        object["path"] = .string(inspection.path)
        object["format"] = .string(inspection.format.rawValue)
        object["compression"] = .string(inspection.compression.rawValue)
        object["columns"] = .array(
            inspection.schema.columns.map { column in
                var entry = JSONObject()
                entry["name"] = .string(column.name)
                entry["type"] = .string(column.type.name)
                entry["nullable"] = .bool(column.isNullable)
                return .object(entry)
            }
        )
        if let count = inspection.rowCount { object["row_count"] = .int(count) }
        if let parquet = inspection.parquet { object["parquet"] = .object(parquetJSON(parquet)) }
        object["sample"] = .array(
            inspection.sampleRows.map { row in
                var entry = JSONObject()
                for (column, value) in zip(inspection.schema.columns, row) { entry[column.name] = .value(value) }
                return .object(entry)
            }
        )
        return object.text
    }

    func text(_ inspection: FileInspection) -> String {
        // Parquet compresses its pages, not the file: name the page codecs.
        let compression =
            inspection.parquet.map { "none (pages: \($0.codecs.joined(separator: ", ")))" }
            ?? inspection.compression.rawValue
        var lines = [
            "file         \(inspection.path)",
            "format       \(inspection.format.rawValue)",
            "compression  \(compression)",
        ]
        if let count = inspection.rowCount { lines.append("rows         \(Formatting.count(count))") }
        if let parquet = inspection.parquet { lines += parquetLines(parquet) }
        var schema = TextTable(header: ["column", "type", "nullable"])
        for column in inspection.schema.columns {
            schema.add([column.name, column.type.name, column.isNullable ? "yes" : "no"])
        }
        lines += ["", schema.render()]
        if !inspection.sampleRows.isEmpty {
            var sample = TextTable(header: inspection.schema.columnNames)
            for row in inspection.sampleRows { sample.add(row.map { $0.text ?? "NULL" }) }
            lines += ["", sample.render()]
        }
        return lines.joined(separator: "\n")
    }

    func parquetJSON(_ summary: ParquetSummary) -> JSONObject {
        var object = JSONObject()
        object["file_size"] = .int(Int(summary.fileSize))
        object["codecs"] = .array(summary.codecs.map { .string($0) })
        if let createdBy = summary.createdBy { object["created_by"] = .string(createdBy) }
        object["row_groups"] = .array(
            summary.rowGroups.map { group in
                var entry = JSONObject()
                entry["rows"] = .int(Int(group.rowCount))
                entry["compressed_size"] = .int(Int(group.compressedSize))
                entry["uncompressed_size"] = .int(Int(group.uncompressedSize))
                return .object(entry)
            }
        )
        return object
    }

    func parquetLines(_ summary: ParquetSummary) -> [String] {
        let compressed = summary.rowGroups.reduce(0) { $0 + $1.compressedSize }
        let uncompressed = summary.rowGroups.reduce(0) { $0 + $1.uncompressedSize }
        var lines = [
            "codecs       \(summary.codecs.isEmpty ? "-" : summary.codecs.joined(separator: ", "))",
            "size         \(Formatting.count(Int(summary.fileSize))) bytes (column data \(Formatting.count(Int(compressed))) "
                + "compressed, \(Formatting.count(Int(uncompressed))) uncompressed)",
            "row groups   \(summary.rowGroups.count)",
        ]
        if let createdBy = summary.createdBy { lines.append("created by   \(createdBy)") }
        var table = TextTable(header: ["row group", "rows", "compressed", "uncompressed"])
        for (index, group) in summary.rowGroups.enumerated() {
            table.add([
                "\(index + 1)", Formatting.count(Int(group.rowCount)), Formatting.count(Int(group.compressedSize)),
                Formatting.count(Int(group.uncompressedSize)),
            ])
        }
        if !summary.rowGroups.isEmpty { lines += ["", table.render()] }
        return lines
    }
}
