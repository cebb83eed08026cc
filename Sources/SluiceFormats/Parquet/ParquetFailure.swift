/// A structural problem found while decoding Parquet bytes; the reader adds the file, row group and column.
struct ParquetFailure: Error {
    let reason: String

    init(_ reason: String) { self.reason = reason }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for bodies that throw only ``ParquetFailure``.
    func withParquetBytes<Result>(
        _ body: (UnsafeRawBufferPointer) throws(ParquetFailure) -> Result
    ) throws(ParquetFailure) -> Result {
        let outcome = withUnsafeBytes { bytes in Swift.Result { () throws(ParquetFailure) in try body(bytes) } }
        return try outcome.get()
    }

    /// `withUnsafeMutableBytes` for bodies that throw only ``ParquetFailure``.
    mutating func withMutableParquetBytes<Result>(
        _ body: (UnsafeMutableRawBufferPointer) throws(ParquetFailure) -> Result
    ) throws(ParquetFailure) -> Result {
        let outcome = withUnsafeMutableBytes { bytes in Swift.Result { () throws(ParquetFailure) in try body(bytes) } }
        return try outcome.get()
    }
}
