/// Number formatting for tables and progress lines, independent of the locale.
enum Formatting {
    /// `1234567` → `1,234,567`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// `value` with `places` decimals.
    static func decimal(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "-" }
        var factor = 1.0
        for _ in 0..<places { factor *= 10 }
        let rounded = (value * factor).rounded() / factor
        var text = String(rounded)
        if let point = text.firstIndex(of: ".") {
            let decimals = text.distance(from: point, to: text.endIndex) - 1
            if places == 0 {
                text = String(text[..<point])
            } else if decimals < places {
                text += String(repeating: "0", count: places - decimals)
            }
        } else if places > 0 {
            text += "." + String(repeating: "0", count: places)
        }
        return text
    }

    /// `0.9876` → `98.8%`.
    static func percent(_ fraction: Double) -> String { decimal(fraction * 100, places: 1) + "%" }

    /// Seconds as `850ms`, `12.3s` or `4m05s`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds < 60 { return decimal(seconds, places: 1) + "s" }
        let whole = Int(seconds.rounded())
        let remainder = whole % 60
        return "\(whole / 60)m" + (remainder < 10 ? "0" : "") + "\(remainder)s"
    }

    /// Bytes as `512 B`, `3.4 MB`, `1.2 GB`.
    static func bytes(_ value: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1024 && unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value) B" : decimal(amount, places: 1) + " " + units[unit]
    }
}
