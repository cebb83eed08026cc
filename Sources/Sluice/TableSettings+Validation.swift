/// The names ``TableSettings`` accepts, checked in this one place for every target before anything is stored.
///
/// A table name or setting name is refused when it is empty, longer than ``maximumBytes`` bytes of UTF-8, or
/// contains a control character (U+0000–U+001F, U+007F). A value may hold any text but NUL, which PostgreSQL's
/// `text` cannot store: so that every target stores exactly the same values.
public enum TableSettingName {
    /// The longest table or setting name, in bytes of UTF-8.
    public static let maximumBytes = 200

    /// Checks the table name that ``TableSettings/settings(table:)`` is asked about.
    ///
    /// - Throws: ``SluiceError`` (``SluiceError/Code/invalidRequest``), one line naming the table.
    public static func validate(table: String) throws {
        if let problem = problem(with: table) {
            throw SluiceError(.invalidRequest, "table '\(printable(table))': the table name \(problem)")
        }
    }

    /// Checks a ``TableSettings/setSetting(table:name:value:)`` request: the table name, the setting name and the
    /// value.
    ///
    /// - Throws: ``SluiceError`` (``SluiceError/Code/invalidRequest``), one line naming the table and the setting
    ///   (the value is never shown).
    public static func validate(table: String, name: String, value: String?) throws {
        let subject = "table '\(printable(table))', setting '\(printable(name))'"
        if let problem = problem(with: table) {
            throw SluiceError(.invalidRequest, "\(subject): the table name \(problem)")
        }
        if let problem = problem(with: name) {
            throw SluiceError(.invalidRequest, "\(subject): the setting name \(problem)")
        }
        if let value, value.utf8.contains(0) {
            throw SluiceError(.invalidRequest, "\(subject): the value contains a NUL character")
        }
    }

    /// Why `name` is not a valid table or setting name, or `nil` when it is.
    static func problem(with name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.utf8.count > maximumBytes { return "is longer than \(maximumBytes) bytes" }
        if name.unicodeScalars.contains(where: isControl) { return "contains a control character" }
        return nil
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7f
    }

    /// `text` with control characters escaped (`\u{a}`) and cut after 64 characters, so that the message stays on
    /// one line and short.
    static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars.prefix(64) {
            if isControl(scalar) {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return text.unicodeScalars.count > 64 ? result + "…" : result
    }
}
