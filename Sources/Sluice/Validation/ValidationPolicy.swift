/// How a load treats bad records: the rules, where rejects go, and how many it tolerates.
public struct ValidationPolicy: Sendable {
    /// Rules every record must pass, in order (a record is rejected by the first it fails).
    public var validators: [any RecordValidator]
    /// Rejected records tolerated before the whole load fails. Default 0: any reject fails the load.
    public var maximumErrors: Int
    /// Where rejected records are written as JSON lines (reason, file, line, column), if anywhere.
    public var rejectFile: String?

    /// Creates a policy. The default has no rules and tolerates no rejects.
    public init(validators: [any RecordValidator] = [], maximumErrors: Int = 0, rejectFile: String? = nil) {
        self.validators = validators
        self.maximumErrors = maximumErrors
        self.rejectFile = rejectFile
    }
}
