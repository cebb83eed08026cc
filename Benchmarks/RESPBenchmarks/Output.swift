#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Prints `line` and flushes it at once: each figure shows as it is measured, also through a pipe or `tee`.
func emit(_ line: String) {
    print(line)
    fflush(nil)
}
