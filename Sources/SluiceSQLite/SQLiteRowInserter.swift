import GRDB
import GRDBSQLite
import Sluice

/// A prepared `INSERT` reused for every row: binds a batch row's values with SQLite's C API and steps.
///
/// The hot path of every load. Numbers are bound as numbers; decimals, dates and timestamps are written as
/// canonical text into per-column scratch slots and bound without copying; strings and bytes are bound with
/// `SQLITE_TRANSIENT` (SQLite copies them). No `Value`, no `String` per value.
final class SQLiteRowInserter {
    private let statement: Statement
    private let handle: SQLiteStatement
    private let connection: SQLiteConnection?
    /// The parameter number (1-based) of the first table column.
    private let firstColumnParameter: Int32
    private let scratch: UnsafeMutablePointer<UInt8>
    private let slots: Int

    /// Prepares `sql`, whose parameters from `firstColumnParameter` on are the `columnCount` table columns.
    init(_ db: Database, sql: String, columnCount: Int, firstColumnParameter: Int32 = 1) throws {
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
        self.firstColumnParameter = firstColumnParameter
        slots = columnCount + 1
        scratch = .allocate(capacity: slots * CanonicalText.slotSize)
    }

    deinit { scratch.deallocate() }

    /// Binds the values of `row` of `columns` (in table order).
    @inline(__always)
    func bind(row: Int, of columns: [ColumnValues]) {
        for index in 0..<columns.count {
            bind(columns[index], row: row, parameter: firstColumnParameter + Int32(index), slot: index)
        }
    }

    /// Binds an integer to parameter `parameter`.
    func bind(_ value: Int64, parameter: Int32) { sqlite3_bind_int64(handle, parameter, value) }

    /// Binds text (copied) to parameter `parameter`.
    func bind(_ value: String, parameter: Int32) { bindText(value, parameter) }

    /// Binds a checksum as a 32-byte big-endian blob to parameter `parameter`.
    func bind(_ digest: ContentChecksum, parameter: Int32) {
        let slot = scratch + (slots - 1) * CanonicalText.slotSize
        let limbs = [digest.limbs.0, digest.limbs.1, digest.limbs.2, digest.limbs.3]
        for (index, limb) in limbs.enumerated() {
            for byte in 0..<8 { slot[index * 8 + byte] = UInt8(truncatingIfNeeded: limb >> (56 - 8 * byte)) }
        }
        sqlite3_bind_blob(handle, parameter, slot, 32, nil)
    }

    /// Runs the statement with the bound values and resets it.
    ///
    /// - Throws: ``StepFailure`` with SQLite's extended result code and message.
    @inline(__always)
    func step() throws(StepFailure) {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let extended = sqlite3_extended_errcode(connection)
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_reset(handle)
            throw StepFailure(code: extended, message: message)
        }
        sqlite3_reset(handle)
    }

    /// A failed step.
    struct StepFailure: Error {
        var code: Int32
        var message: String

        /// Whether a primary key or unique constraint failed.
        var isUniqueViolation: Bool { code == 1555 || code == 2067 }  // SQLITE_CONSTRAINT_PRIMARYKEY, _UNIQUE
    }

    @inline(__always)
    private func bind(_ column: ColumnValues, row: Int, parameter: Int32, slot: Int) {
        switch column {
        case .int64(let vector):
            guard vector.validity[row] else { return nullify(parameter) }
            sqlite3_bind_int64(handle, parameter, vector.values[row])
        case .double(let vector):
            guard vector.validity[row] else { return nullify(parameter) }
            sqlite3_bind_double(handle, parameter, vector.values[row])
        case .decimal(let vector, let scale):
            guard vector.validity[row] else { return nullify(parameter) }
            let end = scratch + (slot + 1) * CanonicalText.slotSize
            let start = CanonicalText.writeDecimal(vector.values[row], scale: scale, endingAt: end)
            sqlite3_bind_text(handle, parameter, start, Int32(end - start), nil)
        case .string(let vector):
            guard vector.validity[row] else { return nullify(parameter) }
            bindText(vector.values[row], parameter)
        case .date(let vector):
            guard vector.validity[row] else { return nullify(parameter) }
            let start = scratch + slot * CanonicalText.slotSize
            let count = CanonicalText.writeDate(daysSinceEpoch: vector.values[row], at: start)
            sqlite3_bind_text(handle, parameter, start, Int32(count), nil)
        case .timestamp(let vector):
            guard vector.validity[row] else { return nullify(parameter) }
            let start = scratch + slot * CanonicalText.slotSize
            let count = CanonicalText.writeTimestamp(microsecondsSinceEpoch: vector.values[row], at: start)
            sqlite3_bind_text(handle, parameter, start, Int32(count), nil)
        case .bool(let vector):
            guard vector.validity[row] else { return nullify(parameter) }
            sqlite3_bind_int64(handle, parameter, vector.values[row] ? 1 : 0)
        case .bytes(let vector):
            guard vector.validity[row] else { return nullify(parameter) }
            _ = vector.values[row].withUnsafeBytes { bytes in
                if let base = bytes.baseAddress, bytes.count > 0 {
                    sqlite3_bind_blob(handle, parameter, base, Int32(bytes.count), sqliteTransient)
                } else {
                    sqlite3_bind_zeroblob(handle, parameter, 0)
                }
            }
        case .json(let vector):
            guard vector.validity[row] else { return nullify(parameter) }
            bindText(vector.values[row], parameter)
        }
    }

    @inline(__always)
    private func nullify(_ parameter: Int32) { sqlite3_bind_null(handle, parameter) }

    @inline(__always)
    private func bindText(_ text: String, _ parameter: Int32) {
        var text = text
        _ = text.withUTF8 { bytes in
            if let base = bytes.baseAddress, bytes.count > 0 {
                sqlite3_bind_text(handle, parameter, base, Int32(bytes.count), sqliteTransient)
            } else {
                sqlite3_bind_text(handle, parameter, "", 0, sqliteTransient)
            }
        }
    }
}

/// SQLite's `SQLITE_TRANSIENT`: SQLite copies the bound bytes before the call returns.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
