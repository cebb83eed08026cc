/// Reads Thrift compact-protocol structs from untrusted bytes: every length and offset is checked, nesting
/// is bounded, and a problem is a ``ParquetFailure``, never a trap.
struct ThriftCompactReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var position: Int
    private var lastFieldID: Int16 = 0
    private var outerFieldIDs: [Int16] = []
    /// The type of the last field header read when it was a bool (its value is in the type).
    private var pendingBool: Bool?

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// The next field of the current struct as (id, type), or `nil` at its stop byte.
    mutating func nextField() throws(ParquetFailure) -> (id: Int16, type: ThriftType)? {
        let header = try byte()
        if header == 0 { return nil }
        guard let type = ThriftType(rawValue: header & 0x0F) else { throw ParquetFailure("corrupt metadata") }
        let delta = Int16(header >> 4)
        let id: Int16
        if delta != 0 {
            id = lastFieldID &+ delta
        } else {
            id = Int16(truncatingIfNeeded: unzigzag(try varint()))
        }
        lastFieldID = id
        if type == .booleanTrue || type == .booleanFalse { pendingBool = type == .booleanTrue }
        return (id, type)
    }

    /// Enters a struct-valued field or list element.
    mutating func beginStruct() throws(ParquetFailure) {
        guard outerFieldIDs.count < 32 else { throw ParquetFailure("metadata nested too deeply") }
        outerFieldIDs.append(lastFieldID)
        lastFieldID = 0
    }

    /// Leaves a struct after its stop byte was read.
    mutating func endStruct() {
        lastFieldID = outerFieldIDs.popLast() ?? 0
    }

    mutating func bool() -> Bool {
        defer { pendingBool = nil }
        return pendingBool ?? false
    }

    mutating func i8() throws(ParquetFailure) -> Int8 {
        Int8(bitPattern: try byte())
    }

    mutating func i32() throws(ParquetFailure) -> Int32 {
        Int32(truncatingIfNeeded: unzigzag(try varint()))
    }

    mutating func i64() throws(ParquetFailure) -> Int64 {
        unzigzag(try varint())
    }

    mutating func binary() throws(ParquetFailure) -> [UInt8] {
        let count = try length()
        let start = position
        position += count
        return Array(bytes[start..<position])
    }

    mutating func string() throws(ParquetFailure) -> String {
        String(decoding: try binary(), as: UTF8.self)
    }

    /// A list header: element type and count (checked against the bytes left).
    mutating func listHeader() throws(ParquetFailure) -> (type: ThriftType, count: Int) {
        let header = try byte()
        guard let type = ThriftType(rawValue: header & 0x0F) else { throw ParquetFailure("corrupt metadata") }
        var count = Int(header >> 4)
        if count == 15 {
            let large = try varint()
            guard large <= UInt64(bytes.count - position) else { throw ParquetFailure("corrupt metadata") }
            count = Int(large)
        }
        return (type, count)
    }

    /// Skips a value of `type`.
    mutating func skip(_ type: ThriftType, depth: Int = 0) throws(ParquetFailure) {
        guard depth < 32 else { throw ParquetFailure("metadata nested too deeply") }
        switch type {
        case .booleanTrue, .booleanFalse: pendingBool = nil
        case .byte: _ = try byte()
        case .i16, .i32, .i64: _ = try varint()
        case .double: try advance(8)
        case .binary: try advance(try length())
        case .list, .set:
            let (elementType, count) = try listHeader()
            for _ in 0..<count {
                if elementType == .booleanTrue || elementType == .booleanFalse {
                    _ = try byte()
                } else {
                    try skip(elementType, depth: depth + 1)
                }
            }
        case .map:
            let count = try varint()
            guard count > 0 else { return }
            guard count <= UInt64(bytes.count - position) else { throw ParquetFailure("corrupt metadata") }
            let types = try byte()
            guard let key = ThriftType(rawValue: types >> 4), let value = ThriftType(rawValue: types & 0x0F) else {
                throw ParquetFailure("corrupt metadata")
            }
            for _ in 0..<count {
                try skip(key, depth: depth + 1)
                try skip(value, depth: depth + 1)
            }
        case .structure:
            try beginStruct()
            while let field = try nextField() { try skip(field.type, depth: depth + 1) }
            endStruct()
        }
    }

    private mutating func byte() throws(ParquetFailure) -> UInt8 {
        guard position < bytes.count else { throw ParquetFailure("metadata truncated") }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func advance(_ count: Int) throws(ParquetFailure) {
        guard count <= bytes.count - position else { throw ParquetFailure("metadata truncated") }
        position += count
    }

    private mutating func length() throws(ParquetFailure) -> Int {
        let count = try varint()
        guard count <= UInt64(bytes.count - position) else { throw ParquetFailure("metadata truncated") }
        return Int(count)
    }

    private mutating func varint() throws(ParquetFailure) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw ParquetFailure("corrupt metadata (varint too long)") }
            result |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { return result }
            shift += 7
        }
    }

    private func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }
}
