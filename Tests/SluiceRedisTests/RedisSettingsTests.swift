import Foundation
import Sluice
import SluiceRedis
import SluiceTesting
import Testing

@Suite("Redis table settings", .timeLimit(.minutes(3)))
struct RedisSettingsTests {
    @Test("settings are a hash beside the table's versions, listed in a set of their own")
    func keyLayout() async throws {
        let server = try RedisServer.shared
        let namespace = "settings-\(UUID().uuidString.prefix(8))"
        try await withLoader(server.url() + "?namespace=" + namespace, factories: [RedisLoader.factory]) {
            loader in
            let settings = try #require(loader as? any TableSettings)
            try await settings.setSetting(table: "prices", name: "retention", value: "keep 3")
            try await settings.setSetting(table: "prices", name: "archive", value: "file:archive")
        }
        let hash = "{\(namespace):prices}:_sluice:settings"
        #expect(try server.cli("HGET", hash, "retention") == "keep 3")
        #expect(try server.cli("HLEN", hash) == "2")
        #expect(try server.cli("SMEMBERS", "{\(namespace)}:_sluice:settings-tables") == "prices")
        // The set of loaded tables is untouched: `prices` was never loaded.
        #expect(try server.cli("EXISTS", "{\(namespace)}:_sluice:tables") == "0")
    }

    @Test("a set table missing from the listing set is put back when its hash is not empty")
    func listingRepairs() async throws {
        let server = try RedisServer.shared
        let namespace = "settings-\(UUID().uuidString.prefix(8))"
        let url = server.url() + "?namespace=" + namespace
        try await withLoader(url, factories: [RedisLoader.factory]) { loader in
            let settings = try #require(loader as? any TableSettings)
            try await settings.setSetting(table: "prices", name: "retention", value: "keep 3")
            // A member whose hash is gone (flushed, or a removal that did not finish) is not listed.
            _ = try server.cli("SADD", "{\(namespace)}:_sluice:settings-tables", "gone")
            #expect(try await settings.tablesWithSettings() == ["prices"])
        }
    }

    @Test("on a Redis Cluster, settings of tables in different slots are kept and listed")
    func cluster() async throws {
        try await withRedisCluster { cluster in
            let url = cluster.nodes[0].url() + "?cluster=true&namespace=cs"
            let tables = (0..<12).map { "table_\($0)" }
            try await withLoader(url, factories: [RedisLoader.factory]) { loader in
                let settings = try #require(loader as? any TableSettings)
                for table in tables {
                    try await settings.setSetting(table: table, name: "retention", value: "keep \(table)")
                }
                try await settings.setSetting(table: "table_3", name: "retention", value: nil)
                #expect(try await settings.tablesWithSettings() == tables.filter { $0 != "table_3" }.sorted())
                #expect(try await settings.settings(table: "table_7") == ["retention": "keep table_7"])
                #expect(try await settings.settings(table: "table_3") == [:])
            }
            var holders = 0
            for node in cluster.nodes {
                let keys = try node.cli("--scan", "--pattern", "{cs:table_*}:_sluice:settings")
                holders += keys.isEmpty ? 0 : 1
            }
            #expect(holders > 1, "the settings hashes should be spread over several nodes")
        }
    }
}
