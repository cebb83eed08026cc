/// Durations written in a pipeline: days for archives, seconds for Redis TTLs.
enum Durations {
    /// `365d`, `52w`, `2y` (365 days each) or a bare number of days.
    static func days(_ text: String) -> Int? {
        let units: [Character: Int] = ["d": 1, "w": 7, "y": 365]
        let unit = text.last.flatMap { units[$0] }
        guard let count = Int(unit == nil ? text : String(text.dropLast())), count >= 0 else { return nil }
        return count * (unit ?? 1)
    }

    /// `300`, `300s`, `5m`, `2h`, `1d` as seconds above zero.
    static func seconds(_ text: String) -> Int? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        let unit = text.last.flatMap { units[$0] }
        guard let count = Int(unit == nil ? text : String(text.dropLast())), count > 0 else { return nil }
        return count * (unit ?? 1)
    }
}
