/// "Did you mean …?" for a misspelt key or value: the closest known word within a small edit distance.
enum Suggestion {
    /// ` (did you mean 'KNOWN'?)`, or an empty string when nothing is close.
    static func didYouMean(_ word: String, among known: [String]) -> String {
        let lowered = word.lowercased()
        let scored = known.map { ($0, distance(Array(lowered), Array($0.lowercased()))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3), best.1 < word.count
        else { return "" }
        return " (did you mean '\(best.0)'?)"
    }

    /// The Levenshtein distance between two words.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + [Int](repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
