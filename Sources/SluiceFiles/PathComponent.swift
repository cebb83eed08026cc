import Sluice

/// One path component built from user data — a table name, a partition value — checked so that it can never
/// escape the target directory.
///
/// Refused: the empty string, `.` and `..`, anything containing `/`, `\` or NUL, a leading `.` (hidden and
/// temporary files are Sluice's own), control characters, and names over ``maximumBytes`` (200) UTF-8 bytes. The
/// check is on the text as given; nothing is rewritten, so two different names never map to one folder.
enum PathComponent {
    /// The longest component, in bytes of UTF-8: within the 255 bytes (`NAME_MAX`) every common file system keeps
    /// of one name, with room to spare, and the same as the longest table name a setting may name
    /// (``Sluice/TableSettingName/maximumBytes``). A longer name is refused before any folder is made, instead of
    /// failing half-way with `ENAMETOOLONG`.
    static let maximumBytes = 200

    /// `text` unchanged when it is a safe single path component.
    ///
    /// - Parameter what: what the text names, for the error (`table name`, `partition value`).
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) naming the text and the reason.
    static func checked(_ text: String, naming what: String) throws -> String {
        if let reason = problem(with: text) {
            throw SluiceError(.invalidRequest, "\(what) '\(printable(text))' \(reason)")
        }
        return text
    }

    /// Why `text` is not a safe path component, or `nil` when it is.
    static func problem(with text: String) -> String? {
        if text.isEmpty { return "is empty" }
        if text == "." || text == ".." { return "would leave the target directory" }
        if text.utf8.count > maximumBytes {
            return "is \(text.utf8.count) bytes, longer than \(maximumBytes) bytes, the most Sluice allows in one "
                + "file or folder name (file systems keep at most 255 bytes of a name, NAME_MAX)"
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "/", "\\": return "contains a path separator and would leave its folder"
            case "\0": return "contains a NUL byte"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f { return "contains a control character" }
            }
        }
        if text.hasPrefix(".") { return "starts with '.', which Sluice keeps for its own files" }
        return nil
    }

    /// `text` with control characters and NUL escaped and cut after 100 characters, for an error message on one
    /// short line.
    private static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars.prefix(100) {
            if scalar.value < 0x20 || scalar.value == 0x7f {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return text.unicodeScalars.count > 100 ? result + "…" : result
    }
}
