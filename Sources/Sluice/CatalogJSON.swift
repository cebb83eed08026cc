import Foundation

/// The JSON that targets keep in their catalogs (schemas, metrics, metadata of versions): sorted keys so the
/// same value is always the same text, and decoding errors that say what was unreadable.
public enum CatalogJSON {
    /// `value` as JSON text with sorted keys.
    public static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes `json`; `what` names it in the error (`the metrics of version …`).
    public static func decode<Value: Decodable>(_ type: Value.Type, _ json: String, what: String) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(json.utf8))
        } catch {
            throw SluiceError(.targetFailure, "\(what) is not valid JSON in the database: \(error)")
        }
    }
}
