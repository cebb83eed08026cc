import Sluice

/// A JSON object whose keys keep the order they were added in, so `--json` output reads the same every run.
struct JSONObject {
    private var members: [(String, String)] = []

    subscript(key: String) -> JSONValue? {
        get { nil }
        set {
            guard let newValue else { return }
            members.append((key, newValue.text))
        }
    }

    var text: String {
        "{" + members.map { "\(jsonString($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
}

/// A JSON value rendered to text.
struct JSONValue {
    let text: String

    static func string(_ value: String?) -> JSONValue { JSONValue(text: value.map(jsonString) ?? "null") }
    static func int(_ value: Int) -> JSONValue { JSONValue(text: String(value)) }
    static func int64(_ value: Int64) -> JSONValue { JSONValue(text: String(value)) }
    static func bool(_ value: Bool) -> JSONValue { JSONValue(text: value ? "true" : "false") }
    static func object(_ value: JSONObject) -> JSONValue { JSONValue(text: value.text) }
    static func array(_ values: [JSONValue]) -> JSONValue {
        JSONValue(text: "[" + values.map(\.text).joined(separator: ",") + "]")
    }

    /// A finite double with up to 6 decimals (JSON has no NaN).
    static func double(_ value: Double) -> JSONValue {
        guard value.isFinite else { return JSONValue(text: "null") }
        return JSONValue(text: Formatting.decimal(value, places: 6).trimmingZeros())
    }

    /// Any `Value` as JSON: numbers as numbers (decimals with their exact text), the rest as strings.
    static func value(_ value: Value) -> JSONValue {
        switch value {
        case .null: return JSONValue(text: "null")
        case .bool(let bool): return .bool(bool)
        case .int64(let number): return .int64(number)
        case .double(let number): return number.isFinite ? JSONValue(text: String(number)) : JSONValue(text: "null")
        case .decimal(let number): return JSONValue(text: number.description)
        case .json(let text): return JSONValue(text: text)
        default: return .string(value.text)
        }
    }
}

extension String {
    func trimmingZeros() -> String {
        guard contains(".") else { return self }
        var text = self
        while text.last == "0" { text.removeLast() }
        if text.last == "." { text.removeLast() }
        return text
    }
}
