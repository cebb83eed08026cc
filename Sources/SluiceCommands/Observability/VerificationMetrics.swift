import CoreMetrics
import Sluice

/// What `sluice verify` reports to swift-metrics, labelled like the loads' metrics (`target`, `table`), so that a
/// nightly verification can be alerted on.
///
/// | metric | type | value |
/// |---|---|---|
/// | `sluice_verify_valid` | gauge | 1 when the table matches its latest version, else 0 |
/// | `sluice_verify_rows` | gauge | the rows the table holds now |
struct VerificationMetrics {
    /// Whether the table matched.
    static let valid = "sluice_verify_valid"
    /// The rows counted.
    static let rows = "sluice_verify_rows"

    let emitter: LoadMetricsEmitter

    init(target: String, table: String) {
        emitter = LoadMetricsEmitter(target: target, table: table)
    }

    func record(_ verification: Verification) {
        Gauge(label: Self.valid, dimensions: emitter.dimensions).record(verification.isValid ? 1 : 0)
        Gauge(label: Self.rows, dimensions: emitter.dimensions).record(verification.actualRecordCount)
    }
}
