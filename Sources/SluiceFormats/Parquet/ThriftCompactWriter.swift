/// Thrift compact-protocol field and element types.
enum ThriftType: UInt8 {
    case booleanTrue = 1
    case booleanFalse = 2
    case byte = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    case structure = 12
}

/// Writes Thrift compact-protocol structs: the encoding of Parquet's footer and page headers.
///
/// Fields must be written in ascending id order; ``beginStruct(_:)`` and ``endStruct()`` keep the previous
/// field id of every open struct, so a nested struct starts its own delta counter.
struct ThriftCompactWriter {
    private(set) var bytes: [UInt8] = []
    private var lastFieldID: Int16 = 0
    private var outerFieldIDs: [Int16] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    mutating func fieldHeader(_ id: Int16, _ type: ThriftType) {
        let delta = id - lastFieldID
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            varint(UInt64(zigzag(Int64(id))))
        }
        lastFieldID = id
    }

    mutating func bool(_ id: Int16, _ value: Bool) {
        fieldHeader(id, value ? .booleanTrue : .booleanFalse)
    }

    mutating func i32(_ id: Int16, _ value: Int32) {
        fieldHeader(id, .i32)
        varint(zigzag(Int64(value)))
    }

    mutating func i64(_ id: Int16, _ value: Int64) {
        fieldHeader(id, .i64)
        varint(zigzag(value))
    }

    mutating func binary(_ id: Int16, _ value: [UInt8]) {
        fieldHeader(id, .binary)
        varint(UInt64(value.count))
        bytes += value
    }

    mutating func string(_ id: Int16, _ value: String) {
        binary(id, Array(value.utf8))
    }

    /// Starts a struct-valued field `id`; its fields follow, then ``endStruct()``.
    mutating func beginStruct(_ id: Int16) {
        fieldHeader(id, .structure)
        beginListStruct()
    }

    /// Starts a struct that is an element of a list.
    mutating func beginListStruct() {
        outerFieldIDs.append(lastFieldID)
        lastFieldID = 0
    }

    /// Ends the innermost struct (writes the stop byte and restores the outer field counter).
    mutating func endStruct() {
        bytes.append(0)
        lastFieldID = outerFieldIDs.popLast() ?? 0
    }

    /// Starts a list-valued field of `count` elements of `elementType`.
    mutating func listHeader(_ id: Int16, _ elementType: ThriftType, count: Int) {
        fieldHeader(id, .list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType.rawValue)
        } else {
            bytes.append(0xF0 | elementType.rawValue)
            varint(UInt64(count))
        }
    }

    /// A bare i32 list element.
    mutating func i32Element(_ value: Int32) { varint(zigzag(Int64(value))) }

    /// A bare binary list element.
    mutating func stringElement(_ value: String) {
        varint(UInt64(value.utf8.count))
        bytes += value.utf8
    }

    /// Appends raw bytes.
    mutating func appendBytes(_ raw: [UInt8]) { bytes += raw }

    /// Ends the top-level struct.
    mutating func finish() { bytes.append(0) }

    private mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }
}

extension ThriftCompactWriter {
    /// Appends one raw byte (the payload of an i8 field).
    mutating func appendRaw(_ byte: UInt8) { appendBytes([byte]) }
}
