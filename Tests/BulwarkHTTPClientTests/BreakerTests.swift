import Bulwark
import BulwarkHTTPClient
import BulwarkTestSupport
import NIOHTTP1
import RedisClient
import RedisTestSupport
import Testing

/// One shared breaker per authority: failures of one host open its breaker only, and the rejection is not retried.
@Suite(.serialized) struct BreakerTests {
    @Test func theBreakerOfAnAuthorityOpensAndItsRejectionIsNotRetried() async throws {
        try await Fixture.with { fixture, events in
            let other = try await ScriptedUpstream.start()
            let client = try fixture.client(events) {
                $0.profile = Fixture.profile(breaker: .consecutiveFailures(3, breakFor: .seconds(60)))
            }
            fixture.upstream.script("/down", Array(repeating: ScriptedUpstream.Reply(status: 503), count: 10))
            #expect(try await client.get(fixture.upstream.url("/down")).status == .serviceUnavailable)
            #expect(fixture.upstream.received("/down").count == 3)

            let name = try HTTPAuthority(url: fixture.upstream.url("/")).name
            #expect(name == "http.http.127.0.0.1.\(fixture.upstream.port)")
            let authorityBreaker = fixture.bulwark.breakers.breakers.first { $0.name == name }
            let breaker = try #require(authorityBreaker)
            try await waitUntil("the authority's breaker opens") { breaker.state == .open }
            let retriesBefore = events.retryDelays.count
            await #expect { try await client.get(fixture.upstream.url("/down")) } throws: { error in
                (error as? ResilienceError)?.code == .breakerOpen
            }
            #expect(events.retryDelays.count == retriesBefore, "a rejection is not retried")
            #expect(fixture.upstream.received("/down").count == 3)

            // Another authority has its own breaker, still closed.
            #expect(try await client.get(other.url("/fine")).status == .ok)
            let otherClosed = fixture.bulwark.breakers.breakers.contains { $0.name == "http.http.127.0.0.1.\(other.port)" && $0.state == .closed }
            #expect(otherClosed)
            await other.stop()
        }
    }

    /// A 4xx other than 408 and 429 is an answer: the breaker records it as a success, a 503 as a failure.
    @Test func clientErrorsDoNotCountAgainstTheBreaker() async throws {
        try await Fixture.with { fixture, events in
            let client = try fixture.client(events) {
                $0.profile = Fixture.profile(retries: 0, breaker: .consecutiveFailures(10, breakFor: .seconds(60)))
            }
            fixture.upstream.script("/mixed", [404, 403, 409, 422, 400, 503].map { ScriptedUpstream.Reply(status: $0) })
            for _ in 0..<6 { _ = try await client.get(fixture.upstream.url("/mixed")) }
            let name = try HTTPAuthority(url: fixture.upstream.url("/")).name
            let authorityBreaker = fixture.bulwark.breakers.breakers.first { $0.name == name }
            let breaker = try #require(authorityBreaker)
            #expect(breaker.stats.totals.successes == 5)
            #expect(breaker.stats.totals.failures == 1)
        }
    }

    /// `.named` puts every authority of the client behind one breaker: failures of one host open it for the other.
    @Test func aNamedBreakerGuardsEveryAuthority() async throws {
        try await Fixture.with { fixture, events in
            let other = try await ScriptedUpstream.start()
            let client = try fixture.client(events) {
                $0.breakers = .named("payments-api")
                $0.profile = Fixture.profile(retries: 0, breaker: .consecutiveFailures(2, breakFor: .seconds(60)))
            }
            fixture.upstream.script("/down", Array(repeating: ScriptedUpstream.Reply(status: 503), count: 2))
            for _ in 0..<2 { #expect(try await client.get(fixture.upstream.url("/down")).status == .serviceUnavailable) }
            let namedBreaker = fixture.bulwark.breakers.breakers.first { $0.name == "payments-api" }
            let breaker = try #require(namedBreaker)
            try await waitUntil("the named breaker opens") { breaker.state == .open }
            await #expect { try await client.get(other.url("/fine")) } throws: { error in
                (error as? ResilienceError)?.code == .breakerOpen
            }
            #expect(other.received("/fine").isEmpty, "the rejected request was never sent")
            await other.stop()
        }
    }
}
