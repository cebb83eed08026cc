import Foundation
import SluiceTesting
import Testing

/// A working directory with `prices.csv`, an empty `lake/` and a folder outside it, `elsewhere/`.
private func withLinkedLake(_ body: (URL) throws -> Void) throws {
    try withWorkingDirectory { directory in
        let sample = try SluiceProcess.run(
            ["sample", "ohlcv", "--rows", "400", "--symbols", "4", "--output", "prices.csv"],
            in: directory
        )
        #expect(sample.status == 0, "\(sample.error)")
        for folder in ["lake", "elsewhere"] {
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent(folder),
                withIntermediateDirectories: true
            )
        }
        try body(directory)
    }
}

/// Makes `relative` (in `directory`) a symbolic link to the absolute `destination`.
private func link(_ relative: String, to destination: URL, in directory: URL) throws {
    try FileManager.default.createSymbolicLink(
        atPath: directory.appendingPathComponent(relative).path,
        withDestinationPath: destination.path
    )
}

/// The entries under `folder`, recursively.
private func entries(_ folder: URL) -> [String] {
    ((try? FileManager.default.subpathsOfDirectory(atPath: folder.path)) ?? []).sorted()
}

/// Expects `outcome` to be the one-line refusal of the link `path` to `destination`.
private func expectRefused(
    _ outcome: SluiceProcess.Outcome,
    _ path: String,
    to destination: URL,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(outcome.status != 0, sourceLocation: sourceLocation)
    let lines = outcome.error.split(separator: "\n")
    #expect(lines.count == 1, "\(outcome.error)", sourceLocation: sourceLocation)
    #expect(
        outcome.error.contains("\(path) is a symbolic link (to \(destination.path))"),
        "\(outcome.error)",
        sourceLocation: sourceLocation
    )
    #expect(outcome.error.contains("add follow_symlinks=true"), sourceLocation: sourceLocation)
}

@Suite("sluice with a file target whose folders are symbolic links (the built binary)")
struct FileSymlinkCommandTests {
    static let load = ["load", "prices.csv", "--table", "prices", "--key", "symbol,date", "--strategy", "upsert"]

    @Test("a linked table folder: load is refused in one line, nothing lands where it points; follow_symlinks loads")
    func linkedTableFolder() throws {
        try withLinkedLake { directory in
            let elsewhere = directory.appendingPathComponent("elsewhere")
            try link("lake/prices", to: elsewhere, in: directory)
            let refused = try SluiceProcess.run(Self.load + ["--into", "file:lake"], in: directory)
            expectRefused(refused, "lake/prices", to: elsewhere)
            #expect(entries(elsewhere).isEmpty, "\(entries(elsewhere))")

            let followed = try SluiceProcess.run(
                Self.load + ["--into", "file:lake?follow_symlinks=true"],
                in: directory
            )
            #expect(followed.status == 0, "\(followed.error)")
            #expect(entries(elsewhere).contains { $0.hasSuffix(".parquet") })
            let verify = try SluiceProcess.run(
                ["verify", "--target", "file:lake?follow_symlinks=true", "--table", "prices"],
                in: directory
            )
            #expect(verify.status == 0 && verify.output.hasPrefix("ok: table 'prices' matches version"), "\(verify)")
            let unfollowed = try SluiceProcess.run(
                ["verify", "--target", "file:lake", "--table", "prices"],
                in: directory
            )
            expectRefused(unfollowed, "lake/prices", to: elsewhere)
        }
    }

    @Test("retain, rollback and versions on a linked table are refused; nothing there changes")
    func retainAndRollback() throws {
        try withLinkedLake { directory in
            for strategy in ["replace", "append"] {
                let load = try SluiceProcess.run(
                    ["load", "prices.csv", "--into", "file:lake", "--table", "prices", "--strategy", strategy],
                    in: directory
                )
                #expect(load.status == 0, "\(load.error)")
            }
            let versions = try SluiceProcess.run(
                ["versions", "--target", "file:lake", "--table", "prices", "--json"],
                in: directory
            )
            #expect(versions.status == 0, "\(versions.error)")
            let first = try #require(versions.output.firstMatch(of: /"id" *: *"([0-9a-f-]{36})"/)?.1)
            let moved = directory.appendingPathComponent("elsewhere/prices")
            try FileManager.default.moveItem(at: directory.appendingPathComponent("lake/prices"), to: moved)
            try link("lake/prices", to: moved, in: directory)
            let before = entries(moved)

            let retain = try SluiceProcess.run(
                ["retain", "--target", "file:lake", "--table", "prices", "--keep-versions", "1"],
                in: directory
            )
            expectRefused(retain, "lake/prices", to: moved)
            let rollback = try SluiceProcess.run(
                ["rollback", "--target", "file:lake", "--table", "prices", "--to", String(first)],
                in: directory
            )
            expectRefused(rollback, "lake/prices", to: moved)
            let listed = try SluiceProcess.run(
                ["versions", "--target", "file:lake", "--table", "prices"],
                in: directory
            )
            expectRefused(listed, "lake/prices", to: moved)
            #expect(entries(moved) == before)
        }
    }

    @Test("a linked target directory and a linked export destination are refused")
    func linkedDirectoryAndExport() throws {
        try withLinkedLake { directory in
            let elsewhere = directory.appendingPathComponent("elsewhere")
            try link("linked", to: elsewhere, in: directory)
            let refused = try SluiceProcess.run(Self.load + ["--into", "file:linked"], in: directory)
            expectRefused(refused, "/linked", to: elsewhere)
            #expect(entries(elsewhere).isEmpty)

            let load = try SluiceProcess.run(Self.load + ["--into", "file:lake"], in: directory)
            #expect(load.status == 0, "\(load.error)")
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent("out"),
                withIntermediateDirectories: true
            )
            try link("out/prices", to: elsewhere, in: directory)
            let export = try SluiceProcess.run(
                ["export", "--target", "file:lake", "--table", "prices", "--to", "file:out"],
                in: directory
            )
            expectRefused(export, "out/prices", to: elsewhere)
            #expect(entries(elsewhere).isEmpty)
        }
    }
}
