import Sluice

/// Builds the module's ``Sluice/SluiceError``s.
enum SluiceErrorBox {
    /// Malformed input: `message` already names file, line and column.
    static func malformed(_ message: String) -> SluiceError {
        SluiceError(.malformedInput, message)
    }
}
