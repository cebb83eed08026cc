extension LoadRequest {
    /// Checks ``expectedLatestVersionID`` against the table's latest version, which the target read under its lock.
    ///
    /// - Throws: ``SluiceError`` (``SluiceError/Code/versionConflict``) naming the table and both versions.
    public func checkExpectedLatest(_ latest: DataVersion?) throws {
        try Self.check(latest, expected: expectedLatestVersionID, table: table)
    }

    /// Checks that `table`'s latest version is `expected` (the empty string: none; `nil`: anything goes).
    ///
    /// - Throws: ``SluiceError`` (``SluiceError/Code/versionConflict``) naming the table and both versions.
    public static func check(_ latest: DataVersion?, expected: String?, table: String) throws {
        guard let expected, expected != (latest?.id ?? "") else { return }
        throw SluiceError(
            .versionConflict,
            "table '\(table)': its latest version is \(latest?.id ?? "none"), not \(expected.isEmpty ? "none" : expected) "
                + "as this load expected (the table changed meanwhile; nothing was changed, run it again)"
        )
    }
}
