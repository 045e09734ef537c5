import Bulwark
import BulwarkHTTPClient
import BulwarkTestSupport
import NIOHTTP1
import RedisClient
import RedisTestSupport
import Testing

/// Invalid settings are refused when the client is created, naming the key; authority names are valid and stable.
@Suite struct SettingsTests {
    @Test func invalidSettingsAreRefusedNamingTheKey() throws {
        let bulwark = try Bulwark(redisURL: "redis://127.0.0.1:1")
        defer { bulwark.client.shutdown() }
        let cases: [(String, (inout ResilientHTTPClientConfiguration) -> Void)] = [
            ("profile.timeout:", { $0.profile.timeout = .seconds(40) }),
            ("profile.retry:", { $0.profile.retry?.maxAttempts = 0 }),
            ("profile.circuitBreaker.window:", { $0.profile.timeout = .seconds(20) }),
            ("maxRequestBodyBytes:", { $0.maxRequestBodyBytes = 0 }),
            ("maxResponseBodyBytes:", { $0.maxResponseBodyBytes = -1 }),
            ("idempotencyKeyHeader:", { $0.idempotencyKeyHeader = "Idempotency Key" }),
            ("maxAuthorities:", { $0.maxAuthorities = 0 }),
            ("breakers:", { $0.breakers = .named("payments:{api}") }),
            ("retryBudget.ratio:", { $0.retryBudget?.ratio = .nan }),
            ("retryBudget.minimumRetries:", { $0.retryBudget?.minimumRetries = -1 }),
            ("retryBudget.window:", { $0.retryBudget?.window = .zero }),
            ("hedging.delay:", { $0.hedging = HedgingConfiguration(delay: .zero) }),
            ("hedging.delay:", { $0.hedging = HedgingConfiguration(delay: .seconds(10)) }),
            ("hedging.maxHedgedAttempts:", { $0.hedging = HedgingConfiguration(delay: .milliseconds(50), maxHedgedAttempts: 9) }),
            ("fleetPause.refreshInterval:", { $0.fleetPause?.refreshInterval = .zero }),
        ]
        for (key, change) in cases {
            var configuration = ResilientHTTPClientConfiguration()
            change(&configuration)
            #expect(throws: ResilientHTTPClientError.self) { try ResilientHTTPClient(bulwark: bulwark, configuration: configuration) }
            do {
                try configuration.validate()
            } catch {
                #expect(error.code == .invalidConfiguration)
                #expect(error.message.hasPrefix(key), "\(key) → \(error.message)")
            }
        }
        try ResilientHTTPClientConfiguration().validate()
    }

    @Test func authorityNamesAreValidBreakerNamesAndStable() throws {
        #expect(try HTTPAuthority(url: "HTTPS://API.Example.com/v1?x=1").name == "http.https.api.example.com.443")
        #expect(try HTTPAuthority(url: "http://user:pw@host:8080/").name == "http.http.host.8080")
        #expect(try HTTPAuthority(url: "http://host").port == 80)
        let six = try HTTPAuthority(url: "http://[::1]:8080/")
        #expect(six.host == "::1")
        let long = try HTTPAuthority(url: "https://" + String(repeating: "a", count: 200) + ".example.com/")
        for authority in [six, long] {
            _ = try BreakerName(authority.name)
            #expect(authority.name.utf8.count <= 64)
        }
        #expect(six.name == (try HTTPAuthority(url: "http://[::1]:8080/other")).name)
        #expect(six.name != (try HTTPAuthority(url: "http://[::2]:8080/")).name)
        #expect(long.name != (try HTTPAuthority(url: "https://" + String(repeating: "a", count: 201) + ".example.com/")).name)
    }

    /// Each client keeps state for at most maxAuthorities authorities; one more is refused, before anything is sent.
    @Test func authoritiesAreBounded() async throws {
        try await Fixture.with { fixture, events in
            let client = try fixture.client(events) { $0.maxAuthorities = 1 }
            #expect(try await client.get(fixture.upstream.url("/one")).status == .ok)
            await #expect { try await client.get("http://127.0.0.1:1/two") } throws: { error in
                (error as? ResilientHTTPClientError)?.code == .limitReached
            }
        }
    }
}
