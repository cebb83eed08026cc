import Testing

@testable import RESP

/// Redis URLs whose password holds unencoded `?`, `#`, `/` or `@`: the user information ends at the last `@`
/// (Sluice's `URLRedaction` rule), so the password comes through whole and never shows.
@Suite("Redis URLs with unencoded characters in the password")
struct RedisURLPasswordTests {
    @Test func theWholePasswordIsTheUsersAndTheRestOfTheURLStays() throws {
        let passwords = [
            ("s3cr3tQ?XYZ-rsunit", "s3cr3tQ?XYZ-rsunit"), ("s3cr3tH#XYZ-rsunit", "s3cr3tH#XYZ-rsunit"),
            ("s3cr3tS/XYZ-rsunit", "s3cr3tS/XYZ-rsunit"), ("s3cr3tA@XYZ-rsunit", "s3cr3tA@XYZ-rsunit"),
            ("s3cr3tP%3FX%40Y%23Z-rsunit", "s3cr3tP?X@Y#Z-rsunit"),
        ]
        for (written, meant) in passwords {
            for user in ["", "relu"] {
                let url = try RedisURL("rediss://\(user):\(written)@cache.example:6380/3?verify=ca&name=etl")
                #expect(url.password == meant)
                #expect(url.username == (user.isEmpty ? nil : user))
                #expect(url.host == "cache.example")
                #expect(url.port == 6380)
                #expect(url.database == 3)
                #expect(url.verification == "ca")
                #expect(url.clientName == "etl")
                #expect(url.redacted == "rediss://\(user):***@cache.example:6380/3")
                #expect(!url.description.contains("s3cr3t"))
            }
        }
    }

    @Test func plainURLsStillParse() throws {
        let plain = try RedisURL("redis://cache")
        #expect(plain.host == "cache" && plain.port == 6379 && plain.database == 0 && plain.password == nil)
        let ipv6 = try RedisURL("redis://[::1]:7000/2")
        #expect(ipv6.host == "::1" && ipv6.port == 7000 && ipv6.database == 2)
        #expect(ipv6.redacted == "redis://[::1]:7000/2")
        #expect(try RedisURL("REDIS://u@h").username == "u")
        #expect(try RedisURL("redis://h/?ca=/etc/ca%20x.pem").certificateAuthorityFile == "/etc/ca x.pem")
    }

    @Test func badURLsAreRefusedWithoutRepeatingThem() {
        for url in [
            "redis://relu:s3cr3tQ?XYZ-rsbad@", "redis://relu:s3cr3tQ?XYZ-rsbad@host:port/0",
            "redis://relu:s3cr3tQ?XYZ-rsbad@host/x", "redis://relu:s3cr3tQ?XYZ-rsbad@host/0?bogus=1",
            "http://relu:s3cr3tQ?XYZ-rsbad@host", "relu:s3cr3tQ?XYZ-rsbad@host",
        ] {
            let error = #expect(throws: RESPError.self) { try RedisURL(url) }
            #expect(error.map { !"\($0)".contains("s3cr3t") } == true)
        }
        #expect(throws: RESPError.self) { try RedisURL("redis://u:p%zz@host") }
    }

    @Test func aUserNameThatCouldHoldPartOfThePasswordIsHidden() throws {
        let url = try RedisURL("redis://relu@s3cr3tU?XYZ-rsuser@host:6379/0")
        #expect(url.password == nil)
        #expect(url.redacted == "redis://***@host:6379/0")
    }
}
