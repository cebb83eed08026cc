/// A plain-text table with aligned columns, for summaries on a terminal.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []
    /// Whether cells that start with a digit align right (for columns of numbers).
    var alignsNumbers: Bool

    init(header: [String], alignsNumbers: Bool = true) {
        self.header = header
        self.alignsNumbers = alignsNumbers
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    /// The table as lines: a header, a rule, the rows. Numbers (cells starting with a digit) align right.
    func render() -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ row: [String]) -> String {
            row.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                let numeric = cell.first.map { $0.isNumber || $0 == "-" } ?? false
                return alignsNumbers && numeric && index > 0 ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var lines = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
