import Foundation
import SluiceTesting
import Testing

/// `sluice load` into Redis while another process holds the table's lock, run as a user runs it: the waiting load
/// says whom it waits for, gives up after `--lock-timeout` naming the holder, and takes over at once the lock of a
/// process of this host that no longer exists.
@Suite("sluice load and a Redis table's lock (the built binary)", .timeLimit(.minutes(3)))
struct CacheLockCommandTests {
    private static func load(_ url: String, _ extra: [String] = []) -> [String] {
        ["load", "prices.csv", "--into", url, "--table", "prices", "--key", "symbol,date"] + extra
    }

    @Test("a lock a live process holds: --lock-timeout 2s fails in a few seconds, one line naming holder and expiry")
    func liveHolderTimesOut() async throws {
        try await withRedisServer { server in
            let sleeper = try PlantedLock.sleeper()
            defer { sleeper.terminate() }
            try PlantedLock.plant("prices", id: "planted-live", pid: sleeper.processIdentifier, in: server)
            try withWorkingDirectory { directory in
                try PlantedLock.sample("prices.csv", rows: 200, in: directory)
                let started = ContinuousClock.now
                let load = try SluiceProcess.run(Self.load(server.url(), ["--lock-timeout", "2s"]), in: directory)
                let elapsed = ContinuousClock.now - started
                #expect(load.status != 0)
                // It waited its timeout; how much longer it took depends on how busy the machine is.
                #expect(elapsed >= .seconds(2) && elapsed < .seconds(60), "took \(elapsed)")
                let errors = load.error.split(separator: "\n").filter { $0.hasPrefix("error:") }
                #expect(errors.count == 1, "\(load.error)")
                let line = String(errors.first ?? "")
                let holder = "load planted-live on host \(PlantedLock.hostName) (pid \(sleeper.processIdentifier)"
                #expect(
                    line.contains("gave up after ")
                        && line.contains(" waiting for the table's lock, held by \(holder)"),
                    "\(line)"
                )
                #expect(line.contains("which expires in 9m"), "\(line)")
                #expect(load.error.contains("notice") && load.error.contains("waiting for the table's lock"))
            }
            #expect(try server.cli("GET", PlantedLock.key("prices")).contains("planted-live"))
            #expect(try server.cli("EXISTS", "{sluice:prices}:_sluice:versions") == "0")
        }
    }

    @Test("a lock whose process is gone from this host is taken over at once, and the load says so")
    func deadHolderIsTakenOver() async throws {
        try await withRedisServer { server in
            let dead = try PlantedLock.deadProcessID()
            try PlantedLock.plant("prices", id: "planted-dead", pid: dead, in: server)
            try withWorkingDirectory { directory in
                try PlantedLock.sample("prices.csv", rows: 200, in: directory)
                // The planted lock lives 10 minutes: a load that succeeds within its 60 s timeout took it over.
                let load = try SluiceProcess.run(Self.load(server.url(), ["--lock-timeout", "60s"]), in: directory)
                #expect(load.status == 0, "\(load.error)")
                #expect(
                    load.error.contains(
                        "took over the table's lock from load planted-dead on host \(PlantedLock.hostName) (pid \(dead)"
                    ),
                    "\(load.error)"
                )
                #expect(load.error.contains("that process no longer exists"))
                #expect(!load.error.contains("waiting for the table's lock"), "\(load.error)")
            }
            #expect(try server.cli("EXISTS", PlantedLock.key("prices")) == "0")
            #expect(try server.cli("LLEN", "{sluice:prices}:_sluice:versions") == "1")
        }
    }

    @Test("a waiting load prints who holds the lock before it gets it, without any flag")
    func waitingLoadNamesTheHolder() async throws {
        try await withRedisServer { server in
            let pid = ProcessInfo.processInfo.processIdentifier
            try PlantedLock.plant("prices", id: "planted-self", pid: pid, in: server)
            try withWorkingDirectory { directory in
                try PlantedLock.sample("prices.csv", rows: 200, in: directory)
                let started = ContinuousClock.now
                let load = try SluiceProcess.start(Self.load(server.url()), in: directory)
                let holder = "held by load planted-self on host \(PlantedLock.hostName) (pid \(pid)"
                #expect(load.waitForError(containing: holder, timeout: .seconds(20)))
                let waited = ContinuousClock.now - started
                if waited < .milliseconds(1_500) { usleep(UInt32((1_500 - waited / .milliseconds(1)) * 1_000)) }
                #expect(load.isRunning, "the load must wait while the lock is held")
                try server.cli("DEL", PlantedLock.key("prices"))
                let (outcome, hung) = load.end(within: .seconds(60))
                #expect(!hung && outcome.status == 0, "\(outcome.error)")
                #expect(outcome.error.contains("expires in 9m5"), "\(outcome.error)")
                #expect(outcome.output.contains("inserted"), "\(outcome.output)")
            }
        }
    }
}
