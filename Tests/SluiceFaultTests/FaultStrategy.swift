/// The strategies the fault suite kills, and the `sluice load` flags of each.
enum FaultStrategy: String, CaseIterable, CustomStringConvertible, Sendable {
    case upsert
    case replace
    case incremental
    case append

    var description: String { rawValue }

    /// The flags after `--table`.
    var flags: [String] {
        switch self {
        case .upsert: ["--key", "symbol,date", "--strategy", "upsert"]
        case .replace: ["--key", "symbol,date", "--strategy", "replace"]
        case .incremental: ["--key", "symbol,date", "--strategy", "incremental", "--delete-missing"]
        case .append: ["--strategy", "append"]
        }
    }

    /// The flags of the table's first load.
    var baseFlags: [String] {
        self == .append ? ["--strategy", "append"] : ["--key", "symbol,date", "--strategy", "upsert"]
    }
}
