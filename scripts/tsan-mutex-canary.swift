// Built and run by scripts/tsan.sh under ThreadSanitizer: four threads update state that one Synchronization.Mutex
// guards, which is race-free. If TSan reports a "Swift access race" here, it cannot see the Mutex's contended path
// (in the uninstrumented libswiftSynchronization.so, as with Swift 6.3.1 on Linux), and every Mutex-guarded access
// under contention will be reported the same way: the script then fails only on the other kinds of report.
import Foundation
import Synchronization

final class Guarded: Sendable {
    let state = Mutex<(count: Int, seen: [Int])>((0, []))
}

let guarded = Guarded()
let done = DispatchGroup()
for thread in 0..<4 {
    done.enter()
    Thread.detachNewThread {
        for step in 0..<10_000 {
            guarded.state.withLock { state in
                state.count += 1
                if state.seen.count < 8 { state.seen.append(thread * step) }
            }
        }
        done.leave()
    }
}
done.wait()
print(guarded.state.withLock { $0.count })
