import Foundation

/// Runs a Python script with pyarrow and duckdb at hand: the independent readers tests check Sluice's files with.
///
/// `scripts/test.sh` installs both (`scripts/install-python-deps.sh`); a missing one is a failure, never a skip.
public enum PythonReader {
    /// Runs `script` (Python source) with `arguments` as `sys.argv[1...]` in `directory` and returns its standard
    /// output.
    ///
    /// - Throws: ``SluiceProcessError`` naming the script's standard error when it exits non-zero.
    public static func run(_ script: String, arguments: [String] = [], in directory: URL) throws -> String {
        let python = ProcessInfo.processInfo.environment["PYTHON"] ?? "python3"
        let outcome = try SluiceProcess.runTool(python, ["-c", script] + arguments, in: directory)
        guard outcome.status == 0 else {
            throw SluiceProcessError(
                description: "python exited with \(outcome.status): \(outcome.error.suffix(2_000))"
            )
        }
        return outcome.output
    }
}
