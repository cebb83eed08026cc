import Sluice

extension TargetOptions {
    /// Opens the target and runs `body` with its loader as a ``Sluice/VersionHistory``.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`unsupportedTarget`) when the target keeps no history.
    func withVersionHistory<Result: Sendable>(
        _ body: (any VersionHistory) async throws -> Result
    ) async throws -> Result {
        try await withLoader(resolved, factories: Targets.factories) { loader in
            guard let history = loader as? any VersionHistory else {
                throw SluiceError(
                    .unsupportedTarget,
                    "\(loader.target) does not keep history for diff/rollback yet"
                )
            }
            return try await body(history)
        }
    }
}
