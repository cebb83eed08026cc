/// A place in a pipeline file: the file's name as the user gave it, a line and a column (both from 1; columns
/// count Unicode scalars, as libYAML does).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file, as given on the command line (`pipeline.yml`, `etc/nightly.yml`).
    public var file: String
    /// The line, from 1.
    public var line: Int
    /// The column, from 1.
    public var column: Int

    /// A location in `file`.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `FILE:LINE:COLUMN`, the form editors and compilers use.
    public var description: String { "\(file):\(line):\(column)" }

    /// The same line, `offset` columns to the right.
    func movedRight(by offset: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column + offset)
    }
}
