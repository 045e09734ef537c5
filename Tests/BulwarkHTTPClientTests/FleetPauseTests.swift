import Bulwark
import BulwarkHTTPClient
import BulwarkTestSupport
import Logging
import NIOHTTP1
import RedisClient
import RedisTestSupport
import ServiceLifecycle
import Testing

/// A 429 with `Retry-After` seen by one instance makes another wait: two Bulwarks, each with its own Redis client,
/// on one real redis-server.
@Suite(.serialized) struct FleetPauseTests {
    @Test func aRetryAfterSeenByOneInstancePausesTheOther() async throws {
        try await Fixture.with { fixture, events in
            let second = try Bulwark(redisURL: fixture.redis.url)
            let group = ServiceGroup(services: [second], logger: Logger(label: "second"))
            let running = Task { try await group.run() }
            let here = try fixture.client(events) {
                $0.profile.totalTimeout = .seconds(2)
                $0.profile.timeout = .seconds(1)
            }
            let elsewhereEvents = EventLog()
            let elsewhere = try fixture.client(elsewhereEvents, on: second) {
                $0.profile.totalTimeout = .seconds(2)
                $0.profile.timeout = .seconds(1)
            }

            fixture.upstream.script("/limited", [ScriptedUpstream.Reply(status: 429, headers: [("Retry-After", "20")])])
            // 20 s is past this call's 2 s deadline: the 429 comes back at once, and the fleet is told to wait.
            #expect(try await here.get(fixture.upstream.url("/limited")).status == .tooManyRequests)
            try await events.wait("the pause is stored in Redis") { $0.contains { if case .pauseShared = $0 { true } else { false } } }

            // The other instance never saw a 429; it reads the pause in the background and then refuses at once.
            var sent = 0
            var refusal: ResilienceError?
            for _ in 0..<1_000 where refusal == nil {
                do {
                    _ = try await elsewhere.get(fixture.upstream.url("/other"))
                    sent += 1
                    try await Task.sleep(for: .milliseconds(10))
                } catch let error as ResilienceError where error.code == .rateLimited {
                    refusal = error
                }
            }
            let error = try #require(refusal)
            // The pause is cut to the profile's maxRetryAfter (5 s in these tests); what is left of it comes back.
            #expect((error.retryAfter ?? .zero) > .zero && (error.retryAfter ?? .zero) <= .seconds(5), "the rest of the pause")
            #expect(fixture.upstream.received("/other").count == sent, "the refused request was never sent")
            let pauseAdopted = elsewhereEvents.all.contains { if case .pauseAdopted = $0 { true } else { false } }
            #expect(pauseAdopted, "\(elsewhereEvents.all)")
            await group.triggerGracefulShutdown()
            _ = try? await running.value
        }
    }

    /// With Redis down, the instance that saw the 429 still pauses itself; nothing hangs or crashes.
    @Test func withRedisDownThePauseIsLocal() async throws {
        try await Fixture.with { fixture, events in
            let client = try fixture.client(events) {
                $0.profile.totalTimeout = .seconds(2)
                $0.profile.timeout = .seconds(1)
            }
            #expect(try await client.get(fixture.upstream.url("/warm")).status == .ok)
            try await fixture.redis.stop()
            fixture.upstream.script("/limited", [ScriptedUpstream.Reply(status: 429, headers: [("Retry-After", "20")])])
            #expect(try await client.get(fixture.upstream.url("/limited")).status == .tooManyRequests)
            await #expect { try await client.get(fixture.upstream.url("/after")) } throws: { error in
                (error as? ResilienceError)?.code == .rateLimited
            }
            #expect(fixture.upstream.received("/after").isEmpty)
        }
    }
}
