import Foundation
import Sluice

/// A built-in validator by name, as `sluice load --validate` and a pipeline's `validate:` give it:
/// `positive-price`, `ohlc` or `not-null:COL[:COL…]`.
public enum ValidatorSpec: Sendable, Hashable, CustomStringConvertible {
    /// Prices (open, high, low, close, adj_close) above zero.
    case positivePrice
    /// `low <= open, close <= high`.
    case ohlc
    /// These columns are never NULL.
    case notNull([String])

    /// The names accepted, for messages.
    public static let forms = "positive-price, ohlc, not-null:COL[:COL…]"

    /// Parses one name.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) for an unknown name.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":").map { String($0).trimmingCharacters(in: .whitespaces) }
        switch parts.first {
        case "positive-price" where parts.count == 1: self = .positivePrice
        case "ohlc" where parts.count == 1: self = .ohlc
        case "not-null" where parts.count > 1 && !parts.dropFirst().contains(""):
            self = .notNull(Array(parts.dropFirst()))
        default: throw SluiceError(.invalidRequest, "unknown validator '\(text)' (\(Self.forms))")
        }
    }

    /// Parses a comma-separated list of names.
    public static func list(_ text: String) throws -> [ValidatorSpec] {
        try text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .map(ValidatorSpec.init(parsing:))
    }

    /// The validator.
    public var validator: any RecordValidator {
        switch self {
        case .positivePrice: Validators.positivePrice()
        case .ohlc: Validators.ohlcConsistency()
        case .notNull(let columns): Validators.notNull(columns)
        }
    }

    public var description: String {
        switch self {
        case .positivePrice: "positive-price"
        case .ohlc: "ohlc"
        case .notNull(let columns): "not-null:" + columns.joined(separator: ":")
        }
    }
}
