import Foundation
import Synchronization

/// The live progress line of a load on a terminal: rows, rows/s, MB/s and the ETA, redrawn at most ten
/// times a second on standard error. Silent when standard error is not a terminal.
final class ProgressLine: Sendable {
    private struct State {
        var lastDraw: Double = 0
        var drawn = false
    }

    private let start = Date()
    private let enabled: Bool
    private let state = Mutex(State())

    init(enabled: Bool = Terminal.errorIsTerminal) {
        self.enabled = enabled
    }

    /// Redraws the line for `records` rows and `bytes` of `total` input bytes.
    func update(records: Int, bytes: Int64, total: Int64?) {
        guard enabled else { return }
        let elapsed = Date().timeIntervalSince(start)
        let shouldDraw = state.withLock { state -> Bool in
            guard elapsed - state.lastDraw >= 0.1 else { return false }
            state.lastDraw = elapsed
            state.drawn = true
            return true
        }
        guard shouldDraw, elapsed > 0 else { return }
        var line = "\(Formatting.count(records)) rows  \(Formatting.count(Int(Double(records) / elapsed))) rows/s"
        line += "  \(Formatting.decimal(Double(bytes) / 1_048_576 / elapsed, places: 1)) MB/s"
        if let total, total > 0, bytes > 0 {
            let remaining = elapsed * Double(total - bytes) / Double(bytes)
            line += "  \(Formatting.percent(Double(bytes) / Double(total)))  ETA \(Formatting.duration(remaining))"
        }
        Terminal.writeError("\r\u{1B}[K" + line)
    }

    /// Clears the line.
    func finish() {
        guard enabled, state.withLock({ $0.drawn }) else { return }
        Terminal.writeError("\r\u{1B}[K")
    }
}
