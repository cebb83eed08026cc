import Foundation
import Sluice
import SluiceTesting
import Testing

/// Per-table settings behave the same on every target: kept durably beside the table's versions, never part of
/// its data, checked names, any text as a value.
@Suite("Table settings")
struct TableSettingsConformanceTests {
    @Test("a setting is set, read, overwritten and removed", arguments: ConformanceTarget.all)
    func setOverwriteRemove(target: ConformanceTarget) async throws {
        try await target.withSettings { settings in
            #expect(try await settings.settings(table: "prices") == [:])
            try await settings.setSetting(table: "prices", name: "retention", value: #"{"keepVersions":3}"#)
            try await settings.setSetting(table: "prices", name: "archive", value: "file:archive")
            #expect(
                try await settings.settings(table: "prices")
                    == ["retention": #"{"keepVersions":3}"#, "archive": "file:archive"]
            )
            try await settings.setSetting(table: "prices", name: "retention", value: #"{"keepDays":30}"#)
            #expect(
                try await settings.settings(table: "prices")
                    == ["retention": #"{"keepDays":30}"#, "archive": "file:archive"]
            )
            try await settings.setSetting(table: "prices", name: "archive", value: nil)
            #expect(try await settings.settings(table: "prices") == ["retention": #"{"keepDays":30}"#])
            try await settings.setSetting(table: "prices", name: "archive", value: nil)
            try await settings.setSetting(table: "prices", name: "never-set", value: nil)
            #expect(try await settings.settings(table: "prices") == ["retention": #"{"keepDays":30}"#])
            try await settings.setSetting(table: "prices", name: "retention", value: nil)
            #expect(try await settings.settings(table: "prices") == [:])
            #expect(try await settings.tablesWithSettings() == [])
        }
    }

    @Test(
        "settings are kept per table, and the tables that have some are listed sorted",
        arguments: ConformanceTarget.all
    )
    func severalTables(target: ConformanceTarget) async throws {
        try await target.withSettings { settings in
            #expect(try await settings.tablesWithSettings() == [])
            try await settings.setSetting(table: "prices", name: "retention", value: "a")
            try await settings.setSetting(table: "fundamentals", name: "retention", value: "b")
            try await settings.setSetting(table: "company_facts", name: "history", value: "c")
            try await settings.setSetting(table: "dropped", name: "retention", value: "d")
            try await settings.setSetting(table: "dropped", name: "retention", value: nil)
            #expect(try await settings.tablesWithSettings() == ["company_facts", "fundamentals", "prices"])
            #expect(try await settings.settings(table: "prices") == ["retention": "a"])
            #expect(try await settings.settings(table: "fundamentals") == ["retention": "b"])
            #expect(try await settings.settings(table: "company_facts") == ["history": "c"])
            #expect(try await settings.settings(table: "dropped") == [:])
            #expect(try await settings.settings(table: "unknown") == [:])
        }
    }

    @Test("settings survive closing and reopening the loader", arguments: ConformanceTarget.all)
    func surviveReopening(target: ConformanceTarget) async throws {
        let (url, cleanUp) = try await target.makeTarget()
        defer { cleanUp() }
        try await Sluice.withLoader(url, factories: target.factories) { loader in
            let settings = try #require(loader as? any TableSettings)
            try await settings.setSetting(table: "prices", name: "retention", value: "keep 3")
            try await settings.setSetting(table: "prices", name: "archive", value: "removed later")
            try await settings.setSetting(table: "prices", name: "archive", value: nil)
            try await settings.setSetting(table: "fundamentals", name: "history", value: "30 days")
        }
        try await Sluice.withLoader(url, factories: target.factories) { loader in
            let settings = try #require(loader as? any TableSettings)
            #expect(try await settings.settings(table: "prices") == ["retention": "keep 3"])
            #expect(try await settings.settings(table: "fundamentals") == ["history": "30 days"])
            #expect(try await settings.tablesWithSettings() == ["fundamentals", "prices"])
        }
    }

    @Test(
        "a table that does not exist yet can have settings, and keeps them when loaded",
        arguments: ConformanceTarget.all
    )
    func settingBeforeTheTable(target: ConformanceTarget) async throws {
        try await target.withLoader { loader in
            let settings = try #require(loader as? any TableSettings)
            try await settings.setSetting(table: Prices.table, name: "retention", value: "keep 2")
            #expect(try await loader.schema(of: Prices.table) == nil)
            #expect(try await loader.versions(table: Prices.table).isEmpty)
            #expect(try await loader.statistics(table: nil).tables.map(\.name) == [])
            _ = try await loader.load(StrategyConformanceTests.base, .upsert)
            #expect(try await loader.versions(table: Prices.table).count == 1)
            #expect(try await loader.contents() == texts(StrategyConformanceTests.base))
            #expect(try await settings.settings(table: Prices.table) == ["retention": "keep 2"])
            #expect(try await settings.tablesWithSettings() == [Prices.table])
        }
    }

    @Test("settings change neither the table's versions nor what verify finds", arguments: ConformanceTarget.all)
    func separateFromData(target: ConformanceTarget) async throws {
        try await target.withLoader { loader in
            let settings = try #require(loader as? any TableSettings)
            let first = try await loader.load(StrategyConformanceTests.base, .upsert)
            let versions = try await loader.versions(table: Prices.table)
            try await settings.setSetting(table: Prices.table, name: "retention", value: "keep 1")
            try await settings.setSetting(table: "not_loaded", name: "retention", value: "keep 1")
            #expect(try await loader.versions(table: Prices.table) == versions)
            #expect(try await loader.versions(table: "not_loaded").isEmpty)
            let verification = try await loader.verify(table: Prices.table)
            #expect(verification.isValid)
            #expect(verification.actualChecksum == first.checksum)
            #expect(verification.versionID == versions.last?.id)
            #expect(try await loader.statistics(table: nil).tables.map(\.name) == [Prices.table])
            // A rerun of the same rows is still a no-op: the settings are no part of the table's content.
            let rerun = try await loader.load(StrategyConformanceTests.base, .upsert)
            #expect(rerun.checksum == first.checksum)
            #expect(try await loader.versions(table: Prices.table) == versions)
        }
    }

    @Test(
        "an invalid table or setting name is refused in one line naming both, and stores nothing",
        arguments: ConformanceTarget.all
    )
    func invalidNames(target: ConformanceTarget) async throws {
        let long = String(repeating: "x", count: 201)
        let cases: [(table: String, name: String, shown: String, problem: String)] = [
            ("prices", "", "table 'prices', setting ''", "the setting name is empty"),
            ("prices", "keep\nversions", #"table 'prices', setting 'keep\u{a}versions'"#, "control character"),
            ("prices", "tab\there", #"table 'prices', setting 'tab\u{9}here'"#, "control character"),
            ("prices", long, "table 'prices', setting '" + String(long.prefix(64)) + "…'", "longer than 200 bytes"),
            ("", "retention", "table '', setting 'retention'", "the table name is empty"),
            ("bad\u{7f}", "retention", #"table 'bad\u{7f}', setting 'retention'"#, "control character"),
        ]
        try await target.withSettings { settings in
            for (table, name, shown, problem) in cases {
                for value in ["v", nil] as [String?] {
                    let error = await #expect(throws: SluiceError.self) {
                        try await settings.setSetting(table: table, name: name, value: value)
                    }
                    #expect(error?.code == .invalidRequest)
                    let message = error?.description ?? ""
                    #expect(message.contains(shown), "\(message)")
                    #expect(message.contains(problem), "\(message)")
                    #expect(!message.contains("\n"), "\(message)")
                }
            }
            let error = await #expect(throws: SluiceError.self) { try await settings.settings(table: "") }
            #expect(error?.code == .invalidRequest)
            #expect(error?.description == "table '': the table name is empty")
            let nul = await #expect(throws: SluiceError.self) {
                try await settings.setSetting(table: "prices", name: "retention", value: "a\u{0}b")
            }
            #expect(nul?.description == "table 'prices', setting 'retention': the value contains a NUL character")
            // A 200-byte name (in a multi-byte script) is still accepted.
            let longest = String(repeating: "é", count: 100)
            try await settings.setSetting(table: "prices", name: longest, value: "ok")
            #expect(try await settings.settings(table: "prices") == [longest: "ok"])
            #expect(try await settings.tablesWithSettings() == ["prices"])
        }
    }

    @Test(
        "a removal that empties a table's settings racing a set of another leaves the set one, listed",
        arguments: ConformanceTarget.all
    )
    func concurrentChanges(target: ConformanceTarget) async throws {
        try await target.withSettings { settings in
            for round in 0..<20 {
                let table = "race_\(round)"
                try await settings.setSetting(table: table, name: "old", value: "1")
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await settings.setSetting(table: table, name: "old", value: nil) }
                    group.addTask { try await settings.setSetting(table: table, name: "new", value: "2") }
                    try await group.waitForAll()
                }
                #expect(try await settings.settings(table: table) == ["new": "2"])
            }
            #expect(try await settings.tablesWithSettings() == (0..<20).map { "race_\($0)" }.sorted())
        }
    }

    @Test("values and names with quotes, newlines and Unicode round-trip exactly", arguments: ConformanceTarget.all)
    func textRoundTrips(target: ConformanceTarget) async throws {
        let values: [String: String] = [
            "quotes": #"it's "quoted" \ 'twice'; DROP TABLE prices; --"#,
            "lines": "first line\nsecond line\r\n\tindented\n",
            "unicode": "Zürich 東京 🚀 e\u{301} \u{2028}",
            "json": #"{"keep": [1, 2.50, null], "path": "a/b\\c", "note": "\u00e9"}"#,
            "empty": "",
            "large": String(repeating: "0123456789abcdef", count: 4_096),
            #"na"me's $1 ?"#: "placeholders are not parameters",
            "名前 🚀": "unicode name",
        ]
        try await target.withSettings { settings in
            let table = #"company "facts" 2024 ü"#
            for (name, value) in values { try await settings.setSetting(table: table, name: name, value: value) }
            let read = try await settings.settings(table: table)
            #expect(read == values)
            for (name, value) in values {
                #expect(Array(read[name, default: "<missing>"].utf8) == Array(value.utf8), "\(name)")
            }
            #expect(try await settings.tablesWithSettings() == [table])
        }
    }
}

extension ConformanceTarget {
    /// Runs `body` with the table settings of a loader on a fresh target.
    func withSettings<T: Sendable>(_ body: (any TableSettings) async throws -> T) async throws -> T {
        try await withLoader { loader in try await body(try #require(loader as? any TableSettings)) }
    }
}
