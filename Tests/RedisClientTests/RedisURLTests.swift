import RedisClient
import Testing

@Suite struct RedisURLTests {
    @Test func parsesTCPWithCredentialsAndDatabase() throws {
        let url = try RedisURL("redis://alice:s%40cret@cache.local:6380/3")
        #expect(url.endpoint == .tcp(host: "cache.local", port: 6380))
        #expect(url.username == "alice")
        #expect(url.password == "s@cret")
        #expect(url.database == 3)
    }

    @Test func appliesDefaults() throws {
        let url = try RedisURL("redis://127.0.0.1")
        #expect(url.endpoint == .tcp(host: "127.0.0.1", port: 6379))
        #expect(url.username == nil)
        #expect(url.password == nil)
        #expect(url.database == 0)
    }

    @Test func parsesPasswordWithoutUserAndIPv6() throws {
        let url = try RedisURL("redis://:pw@[::1]:7000")
        #expect(url.endpoint == .tcp(host: "::1", port: 7000))
        #expect(url.username == nil)
        #expect(url.password == "pw")
    }

    @Test func parsesUnixSocket() throws {
        let url = try RedisURL("unix:///run/redis.sock?db=2")
        #expect(url.endpoint == .unix(path: "/run/redis.sock"))
        #expect(url.database == 2)
    }

    @Test func parsesSentinelList() throws {
        let url = try RedisURL("redis-sentinel://h1:26379,h2/mymaster/1")
        #expect(
            url.endpoint
                == .sentinel(
                    sentinels: [RedisHostAndPort(host: "h1", port: 26379), RedisHostAndPort(host: "h2", port: 26379)],
                    masterName: "mymaster"
                )
        )
        #expect(url.database == 1)
    }

    @Test(arguments: [
        ("localhost:6379", "missing scheme"),
        ("http://localhost", "unsupported scheme 'http'"),
        ("rediss://localhost", "TLS"),
        ("redis://", "missing host"),
        ("redis://host:99999", "invalid port '99999'"),
        ("redis://host:abc", "invalid port 'abc'"),
        ("redis://host/x", "invalid database 'x'"),
        ("redis://host/-1", "invalid database '-1'"),
        ("redis://::1:6379", "IPv6 host must be in brackets"),
        ("redis://[::1", "unclosed '['"),
        ("unix://", "missing absolute socket path"),
        ("unix:///tmp/s?color=red", "unknown query parameter 'color'"),
        ("redis-sentinel://h1,h2", "missing master name"),
        ("redis://ho st", "invalid character in host"),
    ])
    func rejectsMalformedURLsNamingTheProblem(url: String, problem: String) {
        #expect {
            try RedisURL(url)
        } throws: { error in
            guard let error = error as? RedisClientError else { return false }
            return error.code == .invalidURL && error.message.contains(problem)
        }
    }

    @Test func neverEchoesThePassword() {
        let secret = "hunter2-very-secret"
        for url in [
            "redis://user:\(secret)@host:notaport", "redis://:\(secret)@host/db", "redis://\(secret)@host:0",
            "redis://:\(secret)/x@", "redis://:p/\(secret)@host:bad", "redis://:\(secret)@",
        ] {
            do {
                _ = try RedisURL(url)
                Issue.record("\(RedisURL.redact(url)) should not parse")
            } catch {
                #expect(!error.description.contains(secret))
                #expect(error.description.contains("***"))
            }
        }
        #expect(RedisURL.redact("redis://bob:\(secret)@h:1/0") == "redis://bob:***@h:1/0")
        #expect(RedisURL.redact("redis://:a/\(secret)@h") == "redis://:***@h")
        // A password whose host was forgotten has no '@' after it.
        #expect(RedisURL.redact("redis://:\(secret)") == "redis://:***")
        #expect(RedisURL.redact("redis://:\(secret)/2") == "redis://:***/2")
        #expect(RedisURL.redact("redis://host:6379") == "redis://host:6379")
        do {
            _ = try RedisURL("redis://:\(secret)")
            Issue.record("a URL without a host should not parse")
        } catch {
            #expect(!"\(error)".contains(secret))
        }
        let parsed = try? RedisURL("redis://:pa/\(secret)@h:7/2")
        #expect(parsed?.password == "pa/\(secret)")
        #expect(parsed?.database == 2)
        #expect(!"\(String(describing: parsed))".contains(secret))
        var configuration = RedisConfiguration(password: secret)
        configuration.database = 1
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains(secret))
        #expect(!"\(configuration)".contains(secret))
    }

    @Test func rejectsOutOfRangeConfiguration() {
        var configuration = RedisConfiguration()
        configuration.poolSize = 0
        #expect(throws: RedisClientError.self) { try configuration.validate() }
        configuration.poolSize = 1
        configuration.commandTimeout = .zero
        #expect(throws: RedisClientError.self) { try RedisClient(configuration: configuration) }
    }
}
