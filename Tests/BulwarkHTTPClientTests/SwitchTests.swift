import Bulwark
import BulwarkHTTPClient
import BulwarkTestSupport
import NIOHTTP1
import Testing

/// The kill switches of an authority's pipeline hold for the resilient HTTP client (and so for the gateway) as
/// for every other pipeline: the client applies the pipeline's policies itself, and used to ignore them.
@Suite(.serialized) struct SwitchTests {
    @Test func aSwitchedOffRetryIsOneAttemptAndSwitchedOnRetriesAgain() async throws {
        try await Fixture.with { fixture, events in
            let client = try fixture.client(events) { $0.breakers = .named("switched") }
            let switches = try fixture.bulwark.switches.switches(forPipeline: "switched")
            let path = "/status/503"
            fixture.upstream.script(path, Array(repeating: ScriptedUpstream.Reply(status: 503), count: 4))
            switches.switchOff([.retry])
            let once = try await client.get(fixture.upstream.url(path))
            #expect(Int(once.status.code) == 503)
            #expect(fixture.upstream.received(path).count == 1)
            switches.switchOn([.retry])
            _ = try await client.get(fixture.upstream.url(path))
            #expect(fixture.upstream.received(path).count == 4)
        }
    }

    /// With the breaker switched off, failures are neither refused nor counted: the breaker is still closed after
    /// more failures than its threshold.
    @Test func aSwitchedOffBreakerNeitherRefusesNorCounts() async throws {
        try await Fixture.with { fixture, events in
            let breaker = CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(2), breakDuration: .fixed(.seconds(60)))
            let client = try fixture.client(events) { configuration in
                configuration.breakers = .named("unguarded")
                configuration.profile = Fixture.profile(retries: 0, breaker: breaker)
            }
            let switches = try fixture.bulwark.switches.switches(forPipeline: "unguarded")
            switches.switchOff([.breaker])
            let path = "/status/500"
            fixture.upstream.script(path, Array(repeating: ScriptedUpstream.Reply(status: 500), count: 5))
            for _ in 0..<5 {
                let response = try await client.get(fixture.upstream.url(path))
                #expect(Int(response.status.code) == 500)
            }
            #expect(fixture.upstream.received(path).count == 5)
            let state = try fixture.bulwark.breakers.breaker(named: "unguarded").state
            #expect(state == .closed)
        }
    }
}
