import RESP
import Sluice

extension SluiceError {
    /// `error` as the error of a cache operation (`inspect`, `flush`) on the server at `address`: a
    /// ``RESP/RESPError`` that may succeed when retried becomes `transient`, any other `targetFailure`; a
    /// ``Sluice/SluiceError`` or a cancellation is returned as it is.
    ///
    /// The message is one line and holds no password: RESP errors name commands and servers, never arguments.
    static func cacheOperation(_ operation: String, address: String, _ error: any Error) -> any Error {
        if error is SluiceError || error is CancellationError { return error }
        if let error = error as? RESPError {
            let code: SluiceError.Code = error.isRetryable ? .transient : .targetFailure
            return SluiceError(code, "redis \(address): \(operation): \(error)", underlying: error)
        }
        return SluiceError(.targetFailure, "redis \(address): \(operation): \(error)", underlying: error)
    }
}
