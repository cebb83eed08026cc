import Foundation
import SluiceTesting
import Testing

@Suite("sluice diff and rollback (the built binary)")
struct HistoryCommandTests {
    /// The targets that keep history: the file target and SQLite.
    static let targets = ["file:lake", "sqlite:history.sqlite"]

    /// Two upserts into `target` table `t`: A updated, C inserted. Returns the two version ids.
    func twoVersions(_ target: String, in directory: URL) throws -> [String] {
        let inputs = [
            "symbol,date,volume\nA,2024-01-02,100\nB,2024-01-02,200\n",
            "symbol,date,volume\nA,2024-01-02,150\nC,2024-01-03,300\n",
        ]
        for (index, text) in inputs.enumerated() {
            try text.write(to: directory.appendingPathComponent("in\(index).csv"), atomically: true, encoding: .utf8)
            let load = try SluiceProcess.run(
                [
                    "load", "in\(index).csv", "--into", target, "--table", "t", "--key", "symbol,date",
                    "--strategy", "upsert",
                ],
                in: directory
            )
            #expect(load.status == 0, "\(load.error)")
        }
        return try versionIDs(target, in: directory)
    }

    func versionIDs(_ target: String, in directory: URL) throws -> [String] {
        let versions = try SluiceProcess.run(
            ["versions", "--target", target, "--table", "t", "--json"],
            in: directory
        )
        let list = try JSONSerialization.jsonObject(with: Data(versions.output.utf8)) as? [[String: Any]] ?? []
        return list.compactMap { $0["id"] as? String }
    }

    @Test("diff prints the counts and samples (text and --json)", arguments: targets)
    func diff(target: String) throws {
        try withWorkingDirectory { directory in
            let ids = try twoVersions(target, in: directory)
            try #require(ids.count == 2)
            let text = try SluiceProcess.run(
                ["diff", "--target", target, "--table", "t", ids[0], ids[1]],
                in: directory
            )
            #expect(text.status == 0, "\(text.error)")
            #expect(text.output.hasPrefix("table 't' from \(ids[0]) to \(ids[1]): 1 inserted, 1 updated, 0 deleted\n"))
            let lines = text.output.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("change ") && $0.contains("symbol") && $0.contains("volume") })
            #expect(lines.contains { $0.hasPrefix("inserted  C") && $0.hasSuffix("300") })
            #expect(lines.contains { $0.hasPrefix("updated   A") && $0.hasSuffix("150") })
            #expect(lines.contains { $0.hasPrefix("  before  A") && $0.hasSuffix("100") })
            let json = try SluiceProcess.run(
                ["diff", "--target", target, "--table", "t", ids[1], ids[0], "--samples", "1", "--json"],
                in: directory
            )
            #expect(json.status == 0, "\(json.error)")
            let object = try jsonObject(json.output)
            #expect(object["inserted"] as? Int == 0 && object["updated"] as? Int == 1 && object["deleted"] as? Int == 1)
            #expect(object["from"] as? String == ids[1] && object["to"] as? String == ids[0])
            let samples = try #require(object["samples"] as? [[String: Any]])
            #expect(samples.map { $0["change"] as? String } == ["updated", "deleted"])
            #expect((samples[0]["row"] as? [String: Any])?["volume"] as? String == "100")
            #expect((samples[0]["before"] as? [String: Any])?["volume"] as? String == "150")
            #expect((samples[1]["row"] as? [String: Any])?["symbol"] as? String == "C")
        }
    }

    @Test("rollback records a new version that verify accepts; to the latest it changes nothing", arguments: targets)
    func rollback(target: String) throws {
        try withWorkingDirectory { directory in
            let ids = try twoVersions(target, in: directory)
            try #require(ids.count == 2)
            let rollback = try SluiceProcess.run(
                ["rollback", "--target", target, "--table", "t", "--to", ids[0]],
                in: directory
            )
            #expect(rollback.status == 0, "\(rollback.error)")
            #expect(rollback.output.hasPrefix("table 't': rolled back to version \(ids[0]) as version "))
            let verify = try SluiceProcess.run(["verify", "--target", target, "--table", "t"], in: directory)
            #expect(verify.status == 0 && verify.output.hasPrefix("ok: table 't' matches version"))
            let after = try versionIDs(target, in: directory)
            #expect(after.count == 3)
            let again = try SluiceProcess.run(
                ["rollback", "--target", target, "--table", "t", "--to", after[2], "--json"],
                in: directory
            )
            #expect(again.status == 0, "\(again.error)")
            let object = try jsonObject(again.output)
            #expect(object["changed"] as? Bool == false && object["version_id"] as? String == after[2])
            let unknown = try SluiceProcess.run(
                ["rollback", "--target", target, "--table", "t", "--to", "nope"],
                in: directory
            )
            #expect(unknown.status != 0)
            #expect(unknown.error.hasPrefix("error: ") && unknown.error.contains("nope"))
            #expect(unknown.error.filter { $0 == "\n" }.count == 1)
            #expect(try versionIDs(target, in: directory) == after)
        }
    }

    @Test(
        "a target without history (Redis) fails in one line",
        .timeLimit(.minutes(3)),
        arguments: [["diff", "a", "b"], ["rollback", "--to", "a"]]
    )
    func unsupportedTarget(arguments: [String]) async throws {
        try await withRedisServer { server in
            try withWorkingDirectory { directory in
                let outcome = try SluiceProcess.run(
                    [arguments[0], "--target", server.url(), "--table", "t"] + arguments.dropFirst(),
                    in: directory
                )
                #expect(outcome.status != 0)
                #expect(outcome.error.hasPrefix("error: redis://"))
                #expect(outcome.error.hasSuffix(" does not keep history for diff/rollback yet\n"))
                #expect(outcome.error.filter { $0 == "\n" }.count == 1)
            }
        }
    }
}
