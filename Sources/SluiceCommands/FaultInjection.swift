import Foundation
import SluiceArchive

/// Stops the process as a crash would, at a point named in the environment: how the CLI tests prove that a run
/// killed between two steps is finished by the next one. Unset, nothing happens.
enum FaultInjection {
    /// `SLUICE_FAULT_KILL_AFTER_ARCHIVE_STEP=written|verified|deleted`: SIGKILL after that archive step.
    static let archiveStep: (@Sendable (ArchiveStep) async throws -> Void)? = {
        guard let name = ProcessEnvironment.value("SLUICE_FAULT_KILL_AFTER_ARCHIVE_STEP"),
            let step = ArchiveStep(rawValue: name)
        else { return nil }
        return { done in
            if done == step { kill(getpid(), SIGKILL) }
        }
    }()
}
