import Testing

@testable import RESP

@Suite("RESP errors and URLs")
struct RESPErrorTests {
    @Test(
        "error replies are classified by their first word",
        arguments: [
            ("MOVED 3999 127.0.0.1:6381", RESPServerError.Kind.redirect),
            ("ASK 3999 127.0.0.1:6381", .redirect),
            ("TRYAGAIN Multiple keys request during rehashing of slot", .retryable),
            ("CLUSTERDOWN The cluster is down", .retryable),
            ("LOADING Redis is loading the dataset in memory", .retryable),
            ("BUSY Redis is busy running a script", .retryable),
            ("MASTERDOWN Link with MASTER is down", .retryable),
            ("NOAUTH Authentication required.", .fatal),
            ("WRONGPASS invalid username-password pair or user is disabled.", .fatal),
            ("NOPERM this user has no permissions", .fatal),
            ("WRONGTYPE Operation against a key holding the wrong kind of value", .command),
            ("CROSSSLOT Keys in request don't hash to the same slot", .command),
            ("OOM command not allowed when used memory > 'maxmemory'.", .command),
            ("ERR syntax error", .command),
        ]
    )
    func classification(_ line: String, _ kind: RESPServerError.Kind) {
        #expect(RESPServerError(line).kind == kind)
        #expect(RESPError(serverReply: line).isRetryable == (kind == .retryable))
    }

    @Test("MOVED and ASK name slot and address, split at the last colon")
    func redirects() throws {
        let moved = try #require(RESPServerError("MOVED 3999 127.0.0.1:6381").redirect)
        #expect(moved == .init(isAsk: false, slot: 3999, host: "127.0.0.1", port: 6381))
        let ask = try #require(RESPServerError("ASK 12 ::1:7000").redirect)
        #expect(ask == .init(isAsk: true, slot: 12, host: "::1", port: 7000))
        #expect(RESPServerError("MOVED 12 :7000").redirect?.host == "")
        #expect(RESPServerError("MOVED 99999 h:1").redirect == nil)
    }

    @Test("a URL gives host, port, user, password and database; its description hides the password")
    func url() throws {
        let url = try RedisURL("redis://alice:p%40ss@cache.example:6380/3?name=loader")
        #expect(url.host == "cache.example" && url.port == 6380 && url.database == 3)
        #expect(url.username == "alice" && url.password == "p@ss" && url.clientName == "loader")
        #expect(url.redacted == "redis://alice:***@cache.example:6380/3")
        #expect(!"\(url)".contains("p@ss") && !"\(url)".contains("p%40ss"))
        let tls = try RedisURL("rediss://:secret@10.0.0.1?ca=/etc/ca.pem")
        #expect(tls.usesTLS && tls.port == 6379 && tls.username == nil && tls.password == "secret")
        #expect(tls.redacted == "rediss://:***@10.0.0.1:6379/0")
        let configuration = RESPConnection.Configuration(url: tls)
        #expect(configuration.tls?.certificateAuthorityFile == "/etc/ca.pem")
        #expect(configuration.tls?.verification == .full)
    }

    @Test(
        "invalid URLs fail without repeating the password",
        arguments: ["http://x", "redis://u:pw@h/abc", "redis://u:pw@h?x=1", "redis://:pw@"]
    )
    func invalidURL(_ text: String) {
        #expect {
            try RedisURL(text)
        } throws: { error in
            "\(error)".contains("pw") == false && (error as? RESPError)?.code == .invalidConfiguration
        }
    }

    @Test("NOPROTO and an unknown HELLO fall back to RESP2; other errors do not")
    func fallback() {
        #expect(RESPHandshake.lacksRESP3("NOPROTO unsupported protocol version"))
        #expect(RESPHandshake.lacksRESP3("ERR unknown command 'HELLO', with args beginning with: '3' "))
        #expect(!RESPHandshake.lacksRESP3("WRONGPASS invalid username-password pair or user is disabled."))
        #expect(!RESPHandshake.lacksRESP3("NOAUTH HELLO must be called with the client already authenticated"))
    }
}
