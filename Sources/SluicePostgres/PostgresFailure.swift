import Foundation
import NIOCore
import NIOPosix
import PostgresNIO
import Sluice

/// Turns postgres-nio errors into ``Sluice/SluiceError``s: one line naming the target (redacted) and the server's
/// message with its SQLSTATE; never the password, never the query's bound values.
enum PostgresFailure {
    /// Modules whose errors are the database client's (and get the target's name); any other error — the input's,
    /// a validator's — passes through unchanged.
    static let clientModules: Set<String> = ["PostgresNIO", "_ConnectionPoolModule", "NIOCore", "NIOPosix", "NIOSSL"]

    /// Whether `error` comes from postgres-nio, its pool or SwiftNIO.
    static func isClientError(_ error: any Error) -> Bool {
        let typeName = String(reflecting: type(of: error))
        return clientModules.contains(String(typeName.prefix { $0 != "." }))
    }

    /// SQLSTATEs worth retrying: serialization failure, deadlock, admin/crash shutdown, cannot connect now.
    static let transientStates: Set<String> = ["40001", "40P01", "57P01", "57P02", "57P03"]

    /// `error` as a ``Sluice/SluiceError`` naming `target`; Sluice's own errors and cancellation pass unchanged.
    static func mapped(_ error: any Error, target: String, context: String = "") -> any Error {
        let prefix = context.isEmpty ? "\(target): " : "\(target): \(context): "
        if let error = error as? SluiceError { return named(error, target: target, prefix: prefix) }
        if error is CancellationError || !isClientError(error) { return error }
        if case PostgresError.connectionClosed = error {
            // postgres-nio's COPY writer reports a connection the server closed (stopped, crashed, or the backend
            // terminated) with its legacy error, whose text ("NIOPostgres error: connection closed") names neither.
            return SluiceError(
                .transient,
                prefix + "the server closed the connection (server stopped or backend terminated)"
            )
        }
        guard let error = error as? PSQLError else {
            return SluiceError(.targetFailure, prefix + oneLine(String(describing: error)))
        }
        let state = sqlState(error)
        if let state {
            let message = error.serverInfo?[.message] ?? "server error"
            let code: SluiceError.Code =
                transientStates.contains(state) || state.hasPrefix("08") ? .transient : .targetFailure
            return SluiceError(code, prefix + oneLine(message) + " (SQLSTATE \(state))", underlying: error)
        }
        switch error.code {
        case .authMechanismRequiresPassword:
            return SluiceError(
                .targetFailure,
                prefix + "the server asks for a password (give it in the URL, PGPASSWORD or ~/.pgpass)",
                underlying: error
            )
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            if let underlying = error.underlying, isTLSFailure(underlying) {
                // A certificate the client refuses (unknown CA, wrong host name) or a failed handshake: retrying
                // cannot help, so it fails at once instead of after the pool's backoff.
                return SluiceError(
                    .targetFailure,
                    prefix + "TLS failed (sslmode, sslrootcert): " + tlsReason(underlying),
                    underlying: error
                )
            }
            let reason = error.underlying.map(connectionReason) ?? "\(error.code)"
            return SluiceError(.transient, prefix + "connection failed: \(reason)", underlying: error)
        case .sslUnsupported:
            return SluiceError(.targetFailure, prefix + "the server does not support TLS (sslmode)", underlying: error)
        default:
            return SluiceError(.targetFailure, prefix + "\(error.code)", underlying: error)
        }
    }

    /// `error` with the target's name in front when it is the server's or the connection's failure made into a
    /// ``Sluice/SluiceError`` without it (the COPY path's, such as a terminated backend's `57P01`); unchanged when it
    /// names the target already, is not the database client's, or is the server refusing a row of the input
    /// (SQLSTATE classes 22 and 23, named by file and line).
    static func named(_ error: SluiceError, target: String, prefix: String) -> SluiceError {
        guard let underlying = error.underlying, isClientError(underlying), !error.message.hasPrefix(target) else {
            return error
        }
        if let state = (underlying as? PSQLError).flatMap(sqlState), state.hasPrefix("22") || state.hasPrefix("23") {
            return error
        }
        return SluiceError(error.code, prefix + error.message, underlying: underlying)
    }

    /// The server's SQLSTATE, if the error came from the server.
    static func sqlState(_ error: PSQLError) -> String? {
        error.code == .server ? error.serverInfo?[.sqlState] : nil
    }

    /// The row number COPY reported (`COPY prices, line 3, column close: …`), if any.
    static func copyLine(_ error: any Error) -> Int? {
        guard let error = error as? PSQLError, let context = error.serverInfo?[.locationContext],
            let range = context.range(of: ", line ")
        else { return nil }
        return Int(context[range.upperBound...].prefix { $0.isNumber })
    }

    /// Why a connection failed, in a few words (`127.0.0.1:5432: Connection refused`) rather than SwiftNIO's nested
    /// description of every address tried.
    static func connectionReason(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            var reasons: [String] = []
            for failure in error.connectionErrors {
                let reason = connectionReason(failure.error)
                if !reasons.contains(reason) { reasons.append(reason) }
            }
            if reasons.isEmpty, let lookup = error.dnsAError ?? error.dnsAAAAError {
                reasons.append("cannot resolve the host (\(connectionReason(lookup)))")
            }
            let reason = reasons.isEmpty ? "no address to connect to" : reasons.joined(separator: "; ")
            return "\(error.host):\(error.port): \(reason)"
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        return oneLine(String(describing: error))
    }

    /// Whether `error` is SwiftNIO SSL's: a handshake or certificate check that failed.
    static func isTLSFailure(_ error: any Error) -> Bool {
        String(reflecting: type(of: error)).hasPrefix("NIOSSL.")
    }

    /// A TLS failure in a few words: BoringSSL's reason (`certificate verify failed`) rather than its error stack
    /// with source paths, or SwiftNIO SSL's own message (`Couldn't find localhost in certificate from peer`).
    static func tlsReason(_ error: any Error) -> String {
        let text = oneLine(String(describing: error))
        if let range = text.range(of: "OPENSSL_internal:", options: .backwards) {
            let reason = text[range.upperBound...].prefix { $0 != " " && $0 != "]" }
            return reason.lowercased().replacingOccurrences(of: "_", with: " ")
        }
        if let colon = text.range(of: ": ") { return String(text[colon.upperBound...]) }
        return text
    }

    /// Whether retrying may succeed: a transient ``Sluice/SluiceError``.
    static func isTransient(_ error: any Error) -> Bool {
        (error as? SluiceError)?.isTransient ?? false
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
