import AsyncHTTPClient
import Bulwark
import BulwarkHTTPClient
import BulwarkTestSupport
import NIOCore
import NIOHTTP1
import RedisClient
import RedisTestSupport
import Testing

/// The retry budget caps retries across requests; hedging sends a second copy of a slow safe request only.
@Suite(.serialized) struct BudgetAndHedgingTests {
    @Test func theRetryBudgetStopsRetriesOnceSpent() async throws {
        try await Fixture.with { fixture, events in
            let client = try fixture.client(events) {
                $0.retryBudget = RetryBudgetConfiguration(ratio: 0, minimumRetries: 2, window: .seconds(60))
            }
            fixture.upstream.script("/down", Array(repeating: ScriptedUpstream.Reply(status: 503), count: 10))
            #expect(try await client.get(fixture.upstream.url("/down")).status == .serviceUnavailable)
            #expect(fixture.upstream.received("/down").count == 3)
            #expect(try await client.get(fixture.upstream.url("/down")).status == .serviceUnavailable)
            #expect(fixture.upstream.received("/down").count == 4, "the budget is spent: no retry")
            #expect(events.retryDelays.count == 2)
        }
    }

    @Test func aSlowSafeRequestIsHedgedAndTheFirstAnswerWins() async throws {
        try await Fixture.with { fixture, events in
            let client = try fixture.client(events) { $0.hedging = HedgingConfiguration(delay: .milliseconds(100)) }
            // The first copy would take 30 s (past the 5 s attempt timeout); the hedge answers at once.
            fixture.upstream.script("/slow", [ScriptedUpstream.Reply(status: 200, delay: .seconds(30))])
            let response = try await client.get(fixture.upstream.url("/slow"))
            #expect(response.status == .ok)
            #expect(events.hedges == 1)
            #expect(fixture.upstream.received("/slow").count == 2)
        }
    }

    /// A POST is not hedged, even with a key: two copies in flight would race on the server's idempotency record.
    @Test func unsafeRequestsAreNotHedged() async throws {
        try await Fixture.with { fixture, events in
            let client = try fixture.client(events) { $0.hedging = HedgingConfiguration(delay: .milliseconds(50)) }
            fixture.upstream.script("/slow-post", [ScriptedUpstream.Reply(status: 200, delay: .milliseconds(500))])
            let response = try await client.post(fixture.upstream.url("/slow-post"), body: ByteBuffer(string: "x"), idempotencyKey: "k1")
            #expect(response.status == .ok)
            #expect(events.hedges == 0)
            #expect(fixture.upstream.received("/slow-post").count == 1)
        }
    }
}
