import Foundation
import Sluice
import SluiceFiles
import SluiceTesting
import Testing

@Suite("File target table settings")
struct FileSettingsTests {
    private func settingsFile(_ lake: Lake, _ table: String = Quotes.table) -> URL {
        lake.folder(table).appendingPathComponent("_sluice/settings.json")
    }

    @Test("settings.json holds the format version and the settings, keys sorted, and goes with the last setting")
    func fileFormat() async throws {
        try await Lake.with { lake in
            try await lake.loader.setSetting(table: Quotes.table, name: "retention", value: #"{"keepDays":30}"#)
            try await lake.loader.setSetting(table: Quotes.table, name: "archive", value: "a/b")
            let text = try String(contentsOf: settingsFile(lake), encoding: .utf8)
            #expect(
                text == """
                    {
                      "formatVersion" : 1,
                      "settings" : {
                        "archive" : "a/b",
                        "retention" : "{\\"keepDays\\":30}"
                      }
                    }

                    """
            )
            try await lake.loader.setSetting(table: Quotes.table, name: "archive", value: nil)
            try await lake.loader.setSetting(table: Quotes.table, name: "retention", value: nil)
            #expect(!FileManager.default.fileExists(atPath: settingsFile(lake).path))
            #expect(try await lake.loader.tablesWithSettings() == [])
        }
    }

    @Test("removing a setting of a table that has none creates no folder")
    func removalCreatesNothing() async throws {
        try await Lake.with { lake in
            try await lake.loader.setSetting(table: "ghost", name: "retention", value: nil)
            #expect(!FileManager.default.fileExists(atPath: lake.folder("ghost").path))
        }
    }

    @Test("a change removes temporaries a killed write left, and the data files stay untouched")
    func temporariesGo() async throws {
        try await Lake.with { lake in
            try await lake.load(Quotes.rows(months: 1...2), .upsert)
            let files = lake.dataFiles()
            let sluice = lake.folder().appendingPathComponent("_sluice")
            let leftover = sluice.appendingPathComponent("settings.json.tmp-1234abcd")
            try Data("{".utf8).write(to: leftover)
            try await lake.loader.setSetting(table: Quotes.table, name: "retention", value: "keep 2")
            #expect(!FileManager.default.fileExists(atPath: leftover.path))
            #expect(lake.dataFiles() == files)
            #expect(try await lake.loader.settings(table: Quotes.table) == ["retention": "keep 2"])
            #expect(try await lake.loader.verify(table: Quotes.table).isValid)
        }
    }

    @Test("a settings file of a newer format or damaged is refused, naming the file")
    func newerOrDamaged() async throws {
        try await Lake.with { lake in
            try await lake.loader.setSetting(table: Quotes.table, name: "retention", value: "keep 2")
            let file = settingsFile(lake)
            try Data(#"{"formatVersion": 2, "settings": {}}"#.utf8).write(to: file)
            let newer = await #expect(throws: SluiceError.self) { try await lake.loader.settings(table: Quotes.table) }
            #expect(newer?.code == .targetFailure)
            #expect(newer?.description.contains(file.path) == true)
            #expect(newer?.description.contains("upgrade sluice") == true)
            try Data("not json".utf8).write(to: file)
            let damaged = await #expect(throws: SluiceError.self) {
                try await lake.loader.setSetting(table: Quotes.table, name: "x", value: "y")
            }
            #expect(damaged?.code == .targetFailure)
            #expect(try String(contentsOf: file, encoding: .utf8) == "not json")
        }
    }

    @Test("table names are kept inside the target directory")
    func tableNamesConfined() async throws {
        try await Lake.with { lake in
            for table in ["../escape", "a/b", ".hidden"] {
                let error = await #expect(throws: SluiceError.self) {
                    try await lake.loader.setSetting(table: table, name: "retention", value: "v")
                }
                #expect(error?.code == .invalidRequest)
            }
            let parent = lake.directory.deletingLastPathComponent().appendingPathComponent("escape")
            #expect(!FileManager.default.fileExists(atPath: parent.path))
        }
    }
}
