/// Metrics as one JSON object: `{"metrics":[{"name":…,"type":"counter","labels":{…},"value":…},…]}`; summaries
/// (timers, in seconds) carry `count` and `sum` instead of `value`.
enum MetricsJSON {
    static func render(_ samples: [MetricSample]) -> String {
        var root = JSONObject()
        root["metrics"] = .array(samples.map { .object(object($0)) })
        return root.text + "\n"
    }

    private static func object(_ sample: MetricSample) -> JSONObject {
        var object = JSONObject()
        object["name"] = .string(sample.name)
        object["type"] = .string(PrometheusText.typeName(sample.value))
        var labels = JSONObject()
        for label in sample.labels { labels[label.name] = .string(label.value) }
        object["labels"] = .object(labels)
        switch sample.value {
        case .counter(let value), .gauge(let value):
            object["value"] = .double(value)
        case .summary(let count, let sum):
            object["count"] = .int64(count)
            object["sum"] = .double(sum)
        }
        return object
    }
}
