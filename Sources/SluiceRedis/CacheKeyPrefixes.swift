import Foundation
import RESP
import Sluice

/// Which table's keys start how, across every namespace of a database: the hash `{_sluice}:key-prefixes`, field
/// the bytes every key of a table starts with (its template up to the first value, names escaped), value the
/// table's namespace and name.
///
/// Escaping (``CacheKeyEscaping``) keeps the keys of one table apart, and the default template
/// `{namespace}:{table}:{key}` keeps tables apart. A template of one's own that names no `{table}`
/// (`price:{symbol}:{date}`) could make another table's keys; a load claims its table's prefix here first and is
/// refused when another table that still exists has claimed one that may overlap (one starts with the other).
/// A claim whose table has been flushed is taken over.
struct CacheKeyPrefixes: Sendable {
    /// The registry's key (its hash tag keeps it on one node of a cluster).
    static let key = "{_sluice}:key-prefixes"

    /// The keys one table makes: those starting with `bytes`, or, for a template without a value placeholder (a
    /// single stream), exactly `bytes`.
    struct Claim: Sendable, Hashable {
        var bytes: [UInt8]
        var isExact: Bool

        /// The registry field: `=` for an exact key, `*` for a prefix, then the bytes.
        var field: [UInt8] { [UInt8(ascii: isExact ? "=" : "*")] + bytes }

        init(bytes: [UInt8], isExact: Bool) {
            self.bytes = bytes
            self.isExact = isExact
        }

        init?(field: [UInt8]) {
            guard let mark = field.first, mark == UInt8(ascii: "=") || mark == UInt8(ascii: "*") else { return nil }
            self.init(bytes: Array(field.dropFirst()), isExact: mark == UInt8(ascii: "="))
        }

        /// Whether a key could be both this claim's and `other`'s.
        func overlaps(_ other: Claim) -> Bool {
            switch (isExact, other.isExact) {
            case (true, true): return bytes == other.bytes
            case (true, false): return bytes.starts(with: other.bytes)
            case (false, true): return other.bytes.starts(with: bytes)
            case (false, false): return bytes.starts(with: other.bytes) || other.bytes.starts(with: bytes)
            }
        }
    }

    /// A table's namespace and name, as the registry records it.
    struct Owner: Codable, Sendable, Hashable {
        var namespace: String
        var table: String
    }

    let server: CacheServer

    /// The claim of a table laid out as `layout`.
    static func claim(of layout: CacheTableLayout, namespace: String, table: String) -> Claim {
        let bytes = layout.template.leadingBytes(namespace: namespace, table: table, escaped: layout.escapesKeys)
        let hasValue = layout.template.parts.contains {
            switch $0 {
            case .key, .column: return true
            default: return false
            }
        }
        return Claim(bytes: bytes, isExact: !hasValue)
    }

    /// Records that `owner`'s keys are `claim`'s, after checking no other table that exists claims keys that may
    /// be the same.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) naming the other table.
    func register(_ claim: Claim, owner: Owner, template: CacheKeyTemplate) async throws {
        let reply = try await server.send(RESPCommand("HGETALL", .string(Self.key)))
        let fields = reply.elements ?? []
        var index = 0
        var registered = false
        while index + 1 < fields.count {
            defer { index += 2 }
            let field = CacheValueDecoder.bytes(fields[index])
            guard let other = Claim(field: field),
                let holder = try? JSONDecoder().decode(
                    Owner.self,
                    from: Data(CacheValueDecoder.bytes(fields[index + 1]))
                )
            else { continue }
            if holder == owner {
                registered = registered || other == claim
                continue
            }
            guard other.overlaps(claim) else { continue }
            let versions = CacheTableKeys(namespace: holder.namespace, table: holder.table).versions
            guard try await server.send(RESPCommand("EXISTS", .string(versions))).int == 1 else {
                _ = try await server.send(RESPCommand("HDEL", .string(Self.key), .bytes(field)))
                continue
            }
            let start = String(decoding: claim.bytes, as: UTF8.self)
            throw SluiceError(
                .invalidRequest,
                "table '\(owner.table)': key template '\(template)' makes keys starting '\(start)', which table "
                    + "'\(holder.table)' (namespace '\(holder.namespace)') may also make (its keys start "
                    + "'\(String(decoding: other.bytes, as: UTF8.self))'); give one of them a template with a prefix "
                    + "of its own, or name {table} in it"
            )
        }
        guard !registered else { return }
        let encoded = try JSONEncoder().encode(owner)
        _ = try await server.send(
            RESPCommand("HSET", .string(Self.key), .bytes(claim.field), .bytes(Array(encoded)))
        )
    }
}
