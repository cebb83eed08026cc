import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Shell-style file patterns: `*`, `?` and `[abc]` within one path component, `**` for any number of folders
/// (`data/**/prices-*.csv.gz`). Names starting with `.` match only a pattern that starts with `.`.
public struct FileGlob: Sendable, Hashable {
    /// The pattern as written.
    public var pattern: String

    /// A pattern.
    public init(_ pattern: String) {
        self.pattern = pattern
    }

    /// Whether the pattern has any wildcard (else it names one file).
    public var hasWildcards: Bool { pattern.contains { "*?[".contains($0) } }

    /// The files matching the pattern, sorted, as paths in the pattern's form (relative ones stay relative
    /// to `directory`, against which they are matched). Folders never match.
    public func matches(relativeTo directory: String) -> [String] {
        let absolute = pattern.hasPrefix("/")
        let components = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let base = absolute ? "/" : directory
        var found: Set<String> = []
        walk(components[...], displayed: absolute ? "/" : "", actual: base, into: &found)
        return found.sorted()
    }

    private func walk(_ rest: ArraySlice<String>, displayed: String, actual: String, into found: inout Set<String>) {
        guard let component = rest.first else {
            if FilePaths.isFile(actual), !displayed.isEmpty { found.insert(displayed) }
            return
        }
        let remaining = rest.dropFirst()
        if component == "**" {
            walk(remaining, displayed: displayed, actual: actual, into: &found)
            for name in entries(of: actual) where !name.hasPrefix(".") && isDirectory(join(actual, name)) {
                walk(rest, displayed: join(displayed, name), actual: join(actual, name), into: &found)
            }
            return
        }
        guard component.contains(where: { "*?[".contains($0) }) else {
            walk(remaining, displayed: join(displayed, component), actual: join(actual, component), into: &found)
            return
        }
        for name in entries(of: actual) where Self.matches(name, component) {
            walk(remaining, displayed: join(displayed, name), actual: join(actual, name), into: &found)
        }
    }

    private func join(_ path: String, _ name: String) -> String {
        path.isEmpty ? name : (path.hasSuffix("/") ? path + name : path + "/" + name)
    }

    private func entries(of directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    private func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Whether one file name matches one pattern component (`fnmatch(3)` with leading periods protected).
    static func matches(_ name: String, _ component: String) -> Bool {
        fnmatch(component, name, FNM_PERIOD) == 0
    }
}
