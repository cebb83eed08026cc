import Foundation
import Sluice

extension PipelineParser {
    /// One entry of `jobs:`.
    mutating func job(_ node: YAMLNode, index: Int, defaultTarget: PipelineTarget) -> PipelineJob? {
        guard let pairs = node.pairs else {
            diagnostics.error(node.location, "job \(index + 1): expected a mapping, found \(node.kindName)")
            return nil
        }
        let probe = Fields(node: node, pairs: pairs, context: "job \(index + 1)")
        let name = string(probe["name"], "name", in: probe.context)
        let context = name.map { "job '\($0.value)'" } ?? "job \(index + 1)"
        let dependsOn = list(Fields(node: node, pairs: pairs, context: context), "depends_on") ?? []
        if let name {
            references.append(
                JobReference(
                    name: name.value,
                    nameLocation: name.location,
                    location: node.location,
                    dependsOn: dependsOn
                )
            )
        }
        let kindNames = PipelineJob.Kind.allCases.map(\.rawValue)
        var kind = PipelineJob.Kind.load
        if probe["kind"] != nil {
            let kindFields = Fields(node: node, pairs: pairs, context: context)
            guard let chosen = choice(kindFields, "kind", among: kindNames) else { return nil }
            kind = PipelineJob.Kind(rawValue: chosen.value) ?? .load
        }
        guard
            let fields = fields(
                node,
                context: context,
                allowed: JobKeys.allowed(kind),
                elsewhere: JobKeys.elsewhere(kind)
            )
        else { return nil }
        if name == nil, fields["name"] == nil { diagnostics.error(node.location, "\(context): missing 'name'") }
        var jobTarget: PipelineTarget? = defaultTarget
        if let node = fields["target"] { jobTarget = target(node, field: "target", in: context) }
        let table = required(fields, "table")
        let action: PipelineJob.Action?
        switch kind {
        case .load: action = loadJob(fields, table: table, target: jobTarget).map(PipelineJob.Action.load)
        case .export: action = exportJob(fields, table: table).map(PipelineJob.Action.export)
        case .archive: action = archiveJob(fields, table: table).map(PipelineJob.Action.archive)
        case .retain: action = retainJob(fields, table: table, target: jobTarget).map(PipelineJob.Action.retain)
        case .verify: action = table.map { .verify(VerifyJob(table: $0.value)) }
        }
        guard let name, var jobTarget, let action else { return nil }
        if case .load(let load) = action { jobTarget.url = URLOptions.appending(load.targetOptions, to: jobTarget.url) }
        var job = PipelineJob(
            name: name.value,
            location: node.location,
            target: jobTarget,
            action: action,
            dependsOn: dependsOn
        )
        job.nameLocation = name.location
        return job
    }

    private mutating func exportJob(_ fields: Fields, table: Located<String>?) -> ExportJob? {
        guard let destinationNode = fields["to"] else {
            diagnostics.error(
                fields.node.location,
                "\(fields.context): missing 'to' (the destination: a target name or URL, e.g. file:exports)"
            )
            return nil
        }
        let destination = target(destinationNode, field: "to", in: fields.context)
        let options = fileOptions(fields, keys: ["format", "compression"], target: destination)
        var window: DayWindow?
        if let node = fields["where"],
            let windowFields = self.fields(node, context: "'where' of \(fields.context)", allowed: JobKeys.window)
        {
            window = DayWindow(
                from: day(windowFields, "from"),
                to: day(windowFields, "to"),
                column: string(windowFields["column"], "column", in: windowFields.context)?.value
            )
        }
        let sinceLast = boolean(fields, "since_last") ?? false
        let destinationTable = string(fields["as"], "as", in: fields.context)?.value
        guard let table, var destination else { return nil }
        destination.url = URLOptions.appending(options, to: destination.url)
        var job = ExportJob(table: table.value, destination: destination)
        job.destinationTable = destinationTable
        job.sinceLast = sinceLast
        job.window = window
        return job
    }

    private mutating func archiveJob(_ fields: Fields, table: Located<String>?) -> ArchiveJob? {
        let olderThan = string(fields["older_than"], "older_than", in: fields.context)
        let before = day(fields, "before")
        var days: Int?
        if let olderThan {
            days = Durations.days(olderThan.value)
            if days == nil {
                diagnostics.error(
                    olderThan.location,
                    "\(fields.context): 'older_than' must be a number of days (365d, 52w, 2y), found '\(olderThan.value)'"
                )
            }
        }
        if fields.has("older_than") == fields.has("before") {
            diagnostics.error(
                fields.node.location,
                "\(fields.context): give 'older_than' (365d, 52w, 2y) or 'before' (YYYY-MM-DD), one of them"
            )
        }
        guard let archiveNode = fields["to"] else {
            diagnostics.error(
                fields.node.location,
                "\(fields.context): missing 'to' (the archive, a file target: file:DIR)"
            )
            return nil
        }
        let archive = target(archiveNode, field: "to", in: fields.context)
        if let archive, (try? TargetURL(archive.url))?.scheme != "file" {
            diagnostics.error(
                archive.location,
                "\(fields.context): the archive ('to') must be a file target (file:DIR)"
            )
        }
        let options = fileOptions(fields, keys: ["format", "compression"], target: archive)
        let column = string(fields["date_column"], "date_column", in: fields.context)?.value
        let archiveTable = string(fields["as"], "as", in: fields.context)?.value
        guard let table, var archive else { return nil }
        archive.url = URLOptions.appending(options, to: archive.url)
        var job = ArchiveJob(table: table.value, archive: archive)
        job.olderThanDays = days
        job.before = before
        job.column = column
        job.archiveTable = archiveTable
        return job
    }

    private mutating func retainJob(_ fields: Fields, table: Located<String>?, target: PipelineTarget?) -> RetainJob? {
        let keepVersions = integer(fields, "keep_versions", in: 1...Int.max)
        let keepDays = integer(fields, "keep_days", in: 0...Int.max)
        if !fields.has("keep_versions") && !fields.has("keep_days") {
            diagnostics.error(fields.node.location, "\(fields.context): give 'keep_versions', 'keep_days' or both")
        }
        if let target, (try? TargetURL(target.url))?.scheme != "file" {
            diagnostics.error(
                target.location,
                "\(fields.context): retain applies to file targets (file:DIR); databases keep one state"
            )
        }
        let archiveTo = string(fields["archive_to"], "archive_to", in: fields.context)?.value
        guard let table else { return nil }
        var job = RetainJob(table: table.value)
        job.keepVersions = keepVersions
        job.keepDays = keepDays
        job.archiveTo = archiveTo
        return job
    }

    /// A `YYYY-MM-DD` day.
    mutating func day(_ fields: Fields, _ key: String) -> CivilDate? {
        guard let text = string(fields[key], key, in: fields.context) else { return nil }
        guard let day = CivilDate(text.value) else {
            diagnostics.error(
                text.location,
                "\(fields.context): '\(key)' must be a day (YYYY-MM-DD), found '\(text.value)'"
            )
            return nil
        }
        return day
    }
}
