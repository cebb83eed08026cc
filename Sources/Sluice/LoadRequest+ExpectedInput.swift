/// The checksum a load's input must sum to: what a copy of one version of a table (an export) expects, checked before
/// the load commits, so that a source that changed while it was read publishes nothing.
public struct ExpectedInput: Sendable, Hashable {
    /// The checksum (hex) every valid input row's digest must sum to (docs/Checksums.md).
    public var checksum: String
    /// Where the checksum comes from, for the error: `source version 01a2… of table 'prices'`.
    public var origin: String

    /// Expects the input to sum to `checksum`, recorded by `origin`.
    public init(checksum: String, origin: String) {
        self.checksum = checksum
        self.origin = origin
    }
}

extension BatchPreparer {
    /// Called when the input has ended, before the load commits: checks the input's checksum against the request's
    /// ``LoadRequest/expectedInput``, if it has one.
    ///
    /// - Throws: ``SluiceError`` (`targetFailure`) naming both checksums.
    public func checkInputEnded() throws {
        guard let expected = request.expectedInput, expected.checksum != inputChecksum.hex else { return }
        throw SluiceError(
            .targetFailure,
            "table '\(request.table)': the rows read sum to \(inputChecksum.hex), but \(expected.origin) recorded "
                + "\(expected.checksum): the source changed while it was read; nothing was loaded"
        )
    }
}
