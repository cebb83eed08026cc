extension DataVersion {
    /// The metadata key of a version that rolled its table back: the id of the version it went back to.
    public static let rollbackKey = "rollback.to"
}

extension Array where Element == DataVersion {
    /// The versions (of one table, oldest first) whose changes the table's current state holds, newest first: from
    /// the latest back along the parents, jumping from a rollback to the version it went back to — the versions in
    /// between were undone.
    public func inEffect() -> [DataVersion] {
        let byID = Dictionary(map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var result: [DataVersion] = []
        var seen: Set<String> = []
        var next = last
        while let version = next, seen.insert(version.id).inserted {
            result.append(version)
            let previous = version.metadata[DataVersion.rollbackKey] ?? version.parentID
            next = previous.flatMap { byID[$0] }
        }
        return result
    }
}
