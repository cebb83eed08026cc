import Sluice
import Testing

/// Where a URL's user information ends and how passwords are hidden (SECURITY.md, promise 4), for passwords
/// holding the characters that end other URL parts when left unencoded.
@Suite("URL redaction")
struct URLRedactionTests {
    /// Passwords with unencoded `?`, `#`, `/`, `@` and `:`, and a percent-encoded one. `scripts/check-log-secrets.sh`
    /// finds every literal starting `s3cr3t` and checks that no test run printed it.
    static let passwords = [
        "s3cr3tQ?XYZ-unit", "s3cr3tH#XYZ-unit", "s3cr3tS/XYZ-unit", "s3cr3tA@XYZ-unit", "s3cr3tC:X?Y#Z/W@V-unit",
        "s3cr3tP%3FX%40Y%2F-unit",
    ]

    @Test func aPasswordIsHiddenWholeWhateverItHolds() throws {
        for password in Self.passwords {
            for scheme in ["postgres", "postgresql", "redis", "rediss", "mysql"] {
                let url = "\(scheme)://relu:\(password)@db.example:5432/market?sslmode=disable"
                let target = try TargetURL(url)
                let expected = "\(target.scheme)://relu:***@db.example:5432/market?sslmode=disable"
                #expect(target.redacted == expected)
                #expect(URLRedaction.redacted(url) == expected)
                #expect(target.description == expected)
                #expect(target.metricsLabel == "\(target.scheme)://db.example:5432/market")
                #expect(target.userInfo == "relu:\(password)")
                #expect(target.address == "db.example:5432/market?sslmode=disable")
            }
        }
    }

    @Test func userInformationEndsAtTheLastAt() throws {
        let target = try TargetURL("postgres://relu:s3cr3tA@XYZ-split@host:1/db")
        #expect(target.userInfo == "relu:s3cr3tA@XYZ-split")
        #expect(target.address == "host:1/db")
        #expect(try TargetURL("postgres://relu@host/db").redacted == "postgres://relu@host/db")
        #expect(try TargetURL("postgres://host/db").userInfo == nil)
        // A user part that could hold part of the password is hidden too.
        #expect(try TargetURL("postgres://relu@s3cr3tU?XYZ-user@host/db").redacted == "postgres://***@host/db")
        #expect(try TargetURL("postgres://relu/s3cr3tU:XYZ-slash@host/db").redacted == "postgres://***@host/db")
    }

    @Test func textNoParserCanSplitIsRedactedBetweenSchemeAndLastAt() throws {
        #expect(URLRedaction.redacted("my-db://relu:s3cr3tQ?XYZ-bad@host/db") == "my-db://***@host/db")
        #expect(URLRedaction.redacted("9x://relu:s3cr3tS/XYZ-bad@host") == "9x://***@host")
        #expect(URLRedaction.redacted("relu:s3cr3tQ?XYZ-bare@host:5432/db") == "relu:***@host:5432/db")
        #expect(URLRedaction.redacted("ru/s3cr3tQ?XYZ-nocolon@host") == "***@host")
        #expect(URLRedaction.redacted("no secrets here") == "no secrets here")
        let error = #expect(throws: SluiceError.self) { try TargetURL("my-db://relu:s3cr3tH#XYZ-bad@host/db") }
        #expect(error?.description.contains("s3cr3t") == false)
        #expect(error?.description.contains("my-db://***@host/db") == true)
    }

    @Test func pathsOfFileAndSQLiteTargetsKeepTheirAt() throws {
        #expect(try TargetURL("sqlite:data/a@b.sqlite").redacted == "sqlite:data/a@b.sqlite")
        #expect(try TargetURL("file:lake/x@y").redacted == "file:lake/x@y")
        #expect(try TargetURL("file:///tmp/x@y").metricsLabel == "file:///tmp/x@y")
    }
}
