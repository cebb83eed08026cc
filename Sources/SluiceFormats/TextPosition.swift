/// Line and column bookkeeping for a parser that counts lines as it skips whitespace, over a window whose
/// consumed bytes get dropped.
struct TextPosition {
    /// The current 1-based line.
    var line = 1
    /// The window offset where counting of the current line's columns resumes.
    var lineStart = 0
    /// Characters of the current line before `lineStart` that were dropped from the window.
    var columnBase = 0

    /// Records a newline ending just before `offset`.
    mutating func newline(at offset: Int) {
        line += 1
        lineStart = offset
        columnBase = 0
    }

    /// The 1-based character column of `offset` (at or after `lineStart`).
    func column(of offset: Int, in base: UnsafePointer<UInt8>) -> Int {
        columnBase + UTF8Validation.column(of: offset, lineStart: lineStart, in: base)
    }

    /// Folds the characters before `start` into `columnBase`, before the window drops them.
    mutating func rebase(to start: Int, in base: UnsafePointer<UInt8>) {
        guard lineStart < start else { return }
        columnBase += UTF8Validation.column(of: start, lineStart: lineStart, in: base) - 1
        lineStart = start
    }

    /// Moves `lineStart` down after the window shifted its bytes by `shift`.
    mutating func shift(by shift: Int) {
        lineStart -= shift
    }
}
