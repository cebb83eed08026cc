/// `${NAME}` and `${NAME:-default}` in pipeline values, taken from the environment.
///
/// `${NAME}` needs `NAME` to be set (an empty value counts as set); `${NAME:-default}` gives `default` when `NAME`
/// is unset or empty. `$$` is a literal `$`; a `$` not followed by `{` or `$` stays as it is. Names are letters,
/// digits and `_`, not starting with a digit. Errors name the variable, never a value.
public struct EnvironmentExpansion: Sendable {
    /// A problem in one value: what is wrong, and how far into the text.
    public struct Problem: Sendable, Hashable {
        /// The offset of the `$` that starts the reference, in characters.
        public var offset: Int
        /// What is wrong.
        public var message: String
    }

    /// The variables to expand from.
    public var environment: [String: String]

    /// Expands from `environment`.
    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// A value after expansion.
    public struct Expanded: Sendable, Hashable {
        /// The text with every reference replaced (the references that failed left out).
        public var text: String
        /// The variables it used, in order.
        public var variables: [String]
        /// Every problem found; the text is usable only when there is none.
        public var problems: [Problem]
    }

    /// `text` with every reference replaced, the names it used, and the problems, all of them.
    public func expand(_ text: String) -> Expanded {
        guard text.contains("$") else { return Expanded(text: text, variables: [], problems: []) }
        var output = ""
        var variables: [String] = []
        var problems: [Problem] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            guard character == "$", index + 1 < characters.count else {
                output.append(character)
                index += 1
                continue
            }
            if characters[index + 1] == "$" {
                output.append("$")
                index += 2
                continue
            }
            guard characters[index + 1] == "{" else {
                output.append(character)
                index += 1
                continue
            }
            guard let close = characters[(index + 2)...].firstIndex(of: "}") else {
                problems.append(Problem(offset: index, message: "'${' without a closing '}'"))
                break
            }
            let reference = String(characters[(index + 2)..<close])
            switch resolve(reference) {
            case .value(let value, let name):
                output += value
                variables.append(name)
            case .problem(let message):
                problems.append(Problem(offset: index, message: message))
            }
            index = close + 1
        }
        return Expanded(text: output, variables: variables, problems: problems)
    }

    private enum Resolution {
        case value(String, name: String)
        case problem(String)
    }

    /// The value of one `NAME` or `NAME:-default` reference, and the name.
    private func resolve(_ reference: String) -> Resolution {
        let parts = reference.split(separator: ":-", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        guard Self.isName(name) else {
            return .problem("'${\(reference)}' is not a variable reference (${NAME} or ${NAME:-default})")
        }
        if parts.count == 2 {
            let value = environment[name].flatMap { $0.isEmpty ? nil : $0 }
            return .value(value ?? String(parts[1]), name: name)
        }
        guard let value = environment[name] else {
            return .problem("environment variable '\(name)' is not set (or give a default: ${\(name):-VALUE})")
        }
        return .value(value, name: name)
    }

    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0))
        }
    }
}
