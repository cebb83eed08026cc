/// Metrics in the Prometheus text exposition format (version 0.0.4): one `# TYPE` line per metric, then its series,
/// `name{label="value",…} value`. Counters and gauges are written as such; timers and aggregating recorders as
/// summaries without quantiles (`name_count` and `name_sum`, timers in seconds).
enum PrometheusText {
    /// The exposition text of `samples`, grouped by metric name in the order given (``MetricsRegistry/snapshot()``
    /// sorts them).
    static func render(_ samples: [MetricSample]) -> String {
        var text = ""
        var typed: Set<String> = []
        for sample in samples {
            let name = metricName(sample.name)
            if typed.insert(name).inserted {
                text += "# TYPE \(name) \(typeName(sample.value))\n"
            }
            let labels = labelSet(sample.labels)
            switch sample.value {
            case .counter(let value), .gauge(let value):
                text += "\(name)\(labels) \(number(value))\n"
            case .summary(let count, let sum):
                text += "\(name)_sum\(labels) \(number(sum))\n"
                text += "\(name)_count\(labels) \(count)\n"
            }
        }
        return text
    }

    static func typeName(_ value: MetricValue) -> String {
        switch value {
        case .counter: "counter"
        case .gauge: "gauge"
        case .summary: "summary"
        }
    }

    /// `{a="1",b="2"}`, or nothing when there are no labels.
    static func labelSet(_ labels: [MetricKey.Label]) -> String {
        guard !labels.isEmpty else { return "" }
        return "{" + labels.map { "\(labelName($0.name))=\"\(escape($0.value))\"" }.joined(separator: ",") + "}"
    }

    /// A label value with `\`, `"` and line feeds escaped, as the format requires.
    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// A metric name as the format allows it (`[a-zA-Z_:][a-zA-Z0-9_:]*`): any other character becomes `_`.
    static func metricName(_ name: String) -> String { sanitized(name, allowingColon: true) }

    /// A label name as the format allows it (`[a-zA-Z_][a-zA-Z0-9_]*`): any other character becomes `_`.
    static func labelName(_ name: String) -> String { sanitized(name, allowingColon: false) }

    private static func sanitized(_ name: String, allowingColon: Bool) -> String {
        var result = ""
        for scalar in name.unicodeScalars {
            let isLetter =
                ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
                || (allowingColon && scalar == ":")
            let isDigit = ("0"..."9").contains(scalar)
            result.unicodeScalars.append(isLetter || (isDigit && !result.isEmpty) ? scalar : "_")
        }
        return result.isEmpty ? "_" : result
    }

    /// A sample value: integers without a fraction, `+Inf`, `-Inf` and `NaN` as the format spells them.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
