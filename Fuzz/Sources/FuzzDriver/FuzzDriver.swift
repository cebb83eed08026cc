import CLibFuzzer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs libFuzzer's driver on `testOneInput` with the process's arguments, then exits with its status.
///
/// Each fuzzer's `main.swift` calls this instead of relying on libFuzzer's own `main`: SwiftPM's debug builds link
/// executables with `main` renamed to `<Target>_main` (for testable executables), which a `main` from a library
/// cannot satisfy.
public func runFuzzer(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
}
