import Foundation

/// Where the CLI writes: results to standard output, progress and errors to standard error.
enum Terminal {
    /// Whether standard output is a terminal (tables and progress) or a pipe (just the result).
    static var outputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Whether standard error is a terminal, so a progress line can be redrawn in place.
    static var errorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Writes `text` and a newline to standard output.
    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes `text` to standard error as is.
    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Writes `error: MESSAGE` on one line to standard error.
    static func report(_ error: any Error) {
        writeError("error: \(ErrorText.oneLine(error))\n")
    }
}

/// One-line text for any error.
enum ErrorText {
    static func oneLine(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
