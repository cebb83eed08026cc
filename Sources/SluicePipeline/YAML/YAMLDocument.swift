import Yams

/// Reads YAML text into ``YAMLNode``s with Yams' node API (`Yams.compose`), turning its errors into
/// diagnostics that name line and column.
enum YAMLDocument {
    /// The root node of `text`; an empty document is an empty mapping.
    ///
    /// - Throws: ``PipelineError`` with the one diagnostic of a YAML syntax error.
    static func parse(_ text: String, file: String) throws -> YAMLNode {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw PipelineError(diagnostics: [diagnostic(error, file: file)])
        } catch {
            throw PipelineError(diagnostics: [PipelineDiagnostic(location(nil, file: file), "YAML: \(error)")])
        }
        guard let node else { return YAMLNode(content: .mapping([]), location: location(nil, file: file)) }
        return convert(node, file: file)
    }

    private static func location(_ mark: Mark?, file: String) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private static func convert(_ node: Node, file: String) -> YAMLNode {
        let here = location(node.mark, file: file)
        switch node {
        case .scalar(let scalar):
            return YAMLNode(content: .scalar(scalar.string, quoted: scalar.style != .plain), location: here)
        case .alias(let alias):
            return YAMLNode(content: .scalar(alias.anchor.rawValue, quoted: true), location: here)
        case .sequence(let sequence):
            return YAMLNode(content: .sequence(sequence.map { convert($0, file: file) }), location: here)
        case .mapping(let mapping):
            var pairs: [YAMLNode.Pair] = []
            var merged: [YAMLNode.Pair] = []
            for (key, value) in mapping {
                let keyText = key.string ?? "\(key)"
                let converted = convert(value, file: file)
                if keyText == "<<", key.scalar?.style == .plain {
                    merged += mergeSources(converted).flatMap { $0.pairs ?? [] }
                    continue
                }
                pairs.append(YAMLNode.Pair(key: keyText, keyLocation: location(key.mark, file: file), value: converted))
            }
            let own = Set(pairs.map(\.key))
            var seen = own
            for pair in merged where seen.insert(pair.key).inserted { pairs.append(pair) }
            return YAMLNode(content: .mapping(pairs), location: here)
        }
    }

    /// The mappings a `<<` merge key names: one mapping, or a list of them (earlier ones win).
    private static func mergeSources(_ node: YAMLNode) -> [YAMLNode] {
        if case .sequence(let items) = node.content { return items }
        return [node]
    }

    private static func diagnostic(_ error: YamlError, file: String) -> PipelineDiagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let while_ = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return PipelineDiagnostic(location(mark, file: file), "YAML: \(problem)\(while_)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return PipelineDiagnostic(location(context.mark, file: file), "duplicate key \(keys) in a mapping")
        case .reader(let problem, _, _, _):
            return PipelineDiagnostic(location(nil, file: file), "YAML: \(problem)")
        default:
            return PipelineDiagnostic(location(nil, file: file), "YAML: \(error)")
        }
    }
}
