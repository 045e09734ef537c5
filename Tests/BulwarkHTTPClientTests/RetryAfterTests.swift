import Bulwark
import BulwarkHTTPClient
import BulwarkTestSupport
import Foundation
import NIOHTTP1
import RedisClient
import RedisTestSupport
import Testing

/// `Retry-After` on the wire: both forms honoured, a hint over the cap or past the deadline ends the retries.
@Suite(.serialized) struct RetryAfterTests {
    @Test func secondsAndDatesSetTheRetryDelay() async throws {
        try await Fixture.with { fixture, events in
            let client = try fixture.client(events)
            fixture.upstream.script("/seconds", [ScriptedUpstream.Reply(status: 503, headers: [("Retry-After", "1")])])
            #expect(try await client.get(fixture.upstream.url("/seconds")).status == .ok)
            #expect(events.retryDelays == [.seconds(1)], "the backoff is 1 ms: the delay is the header's")

            let date = Date().addingTimeInterval(4)
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            fixture.upstream.script("/date", [ScriptedUpstream.Reply(status: 503, headers: [("Retry-After", formatter.string(from: date))])])
            #expect(try await client.get(fixture.upstream.url("/date")).status == .ok)
            let delay = try #require(events.retryDelays.last)
            // Whole seconds on the wire, read when the answer came: up to 4 s, and above the 1 ms backoff (the exact
            // value, with a fixed now, is RetryAfterHeaderTests'; wall time on a busy machine may eat most of it).
            #expect(delay > .milliseconds(1) && delay <= .seconds(4), "\(delay)")
            #expect(fixture.upstream.received("/date").count == 2)
        }
    }

    /// A hint longer than maxRetryAfter (5 s here) is not waited for: the 429 comes back after one request, and the
    /// fleet-wide pause it causes is cut to the cap.
    @Test func aHintOverTheCapEndsTheRetriesAndThePauseIsCapped() async throws {
        try await Fixture.with { fixture, events in
            let client = try fixture.client(events)
            fixture.upstream.script("/capped", [ScriptedUpstream.Reply(status: 429, headers: [("Retry-After", "120")])])
            #expect(try await client.get(fixture.upstream.url("/capped")).status == .tooManyRequests)
            #expect(fixture.upstream.received("/capped").count == 1)
            #expect(events.retryDelays.isEmpty)
            try await events.wait("the pause is stored") { $0.contains { if case .pauseShared = $0 { true } else { false } } }
            let authority = try HTTPAuthority(url: fixture.upstream.url("/"))
            let redis = try RedisClient(url: fixture.redis.url)
            let ttl = try await redis.send("PTTL", "bulwark:http:pause:\(authority.name)").int ?? -2
            #expect(ttl > 0 && ttl <= 5_000, "\(ttl)")
            redis.shutdown()
        }
    }

    /// A hint that would end past the call's total timeout is not slept out: the answer comes back at once.
    @Test func aHintPastTheDeadlineIsNotSleptOut() async throws {
        try await Fixture.with { fixture, events in
            let client = try fixture.client(events) {
                $0.profile.totalTimeout = .seconds(2)
                $0.profile.timeout = .seconds(1)
                $0.fleetPause = nil
            }
            fixture.upstream.script("/later", [ScriptedUpstream.Reply(status: 503, headers: [("Retry-After", "4")])])
            #expect(try await client.get(fixture.upstream.url("/later")).status == .serviceUnavailable)
            #expect(fixture.upstream.received("/later").count == 1)
            #expect(events.retryDelays.isEmpty)
        }
    }
}
