import Foundation
import SluiceTesting

/// What a table holds, read two ways: `sluice verify --json` (the checksum recomputed from the data, and the
/// latest version's) and the target's independent reader (``FaultTable/digest``).
struct TableState: Equatable, CustomStringConvertible {
    /// The checksum recomputed from the data.
    var checksum: String
    /// Rows found.
    var rows: Int
    /// The independent reader's digest, where there is one.
    var digest: String?
    /// The latest version's id and checksum.
    var versionID: String?
    var versionChecksum: String?
    /// Whether the data matches the latest version.
    var isValid: Bool

    /// Reads `table`'s state (on a thread of its own: it runs `sluice verify` and the independent reader).
    static func read(_ table: FaultTable, in directory: URL) async throws -> TableState {
        try await onThread { try readNow(table, in: directory) }
    }

    private static func readNow(_ table: FaultTable, in directory: URL) throws -> TableState {
        let verify = try SluiceProcess.run(
            ["verify", "--target", table.target, "--table", table.table, "--json"],
            in: directory
        )
        let text = verify.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let checksum = object["actual_checksum"] as? String, let rows = object["actual_record_count"] as? Int
        else {
            throw FaultError("sluice verify \(table.table) printed no result (exit \(verify.status)): \(verify.error)")
        }
        return TableState(
            checksum: checksum,
            rows: rows,
            digest: try table.digest(),
            versionID: object["version_id"] as? String,
            versionChecksum: object["expected_checksum"] as? String,
            isValid: object["valid"] as? Bool == true
        )
    }

    /// Whether the two hold the same rows: the same checksum and count, and the same independent digest.
    func holdsSameRows(as other: TableState) -> Bool {
        checksum == other.checksum && rows == other.rows && digest == other.digest
    }

    var description: String {
        "\(rows) rows, checksum \(checksum.prefix(12)), digest \(digest ?? "-"), version \(versionID ?? "none") "
            + "(checksum \(versionChecksum?.prefix(12) ?? "-"), \(isValid ? "valid" : "NOT valid"))"
    }
}
