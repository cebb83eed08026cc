import Sluice
import SluicePostgres
import Testing

@Suite("Identifier quoting and storage types")
struct PostgresSyntaxUnitTests {
    @Test func quotesIdentifiersAndDoublesInnerQuotes() {
        #expect(PostgresSyntax.quote("prices") == #""prices""#)
        #expect(PostgresSyntax.quote(#"we"ird"#) == #""we""ird""#)
        #expect(PostgresSyntax.quote("select") == #""select""#)
        #expect(PostgresSyntax.quote("with space") == #""with space""#)
        #expect(PostgresSyntax.quote("prix_€") == #""prix_€""#)
        #expect(PostgresSyntax.quote(#"a"; DROP TABLE x; --"#) == #""a""; DROP TABLE x; --""#)
    }

    @Test func namesForCopyHaveTheirQuotesDoubled() {
        #expect(PostgresSyntax.doublingQuotes(#"a"b"#) == #"a""b"#)
        #expect(PostgresSyntax.doublingQuotes("plain") == "plain")
    }

    @Test func storageTypes() {
        let expected: [(ColumnType, String)] = [
            (.bool, "boolean"), (.int64, "bigint"), (.double, "double precision"),
            (.decimal(precision: 18, scale: 4), "numeric(18,4)"), (.string, "text"), (.date, "date"),
            (.timestamp, "timestamptz"), (.bytes, "bytea"), (.json, "json"),
        ]
        for (type, name) in expected {
            #expect(PostgresSyntax.declaredType(type) == name)
        }
    }
}
