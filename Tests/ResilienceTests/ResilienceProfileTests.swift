import Foundation
import Resilience
import Testing

@Suite struct ResilienceProfileTests {
    private func settings(_ json: String) throws -> ResilienceProfile.Settings {
        try JSONDecoder().decode(ResilienceProfile.Settings.self, from: Data(json.utf8))
    }

    /// The message of the error `body` throws, which must be a bad-request `ResilienceError`.
    private func refusal(_ body: () throws -> Void) -> String {
        do {
            try body()
            Issue.record("expected a refusal")
            return ""
        } catch let error as ResilienceError {
            #expect(error.code == .badRequest)
            return error.message ?? ""
        } catch {
            Issue.record("unexpected \(error)")
            return ""
        }
    }

    @Test func thePresetsHoldTheDocumentedValues() throws {
        for (name, profile) in ResilienceProfile.presets {
            try profile.validate()
            #expect(try profile.pipeline(named: name).name == name)
        }
        #expect(ResilienceProfile.presets.keys.sorted() == ["database", "external-api", "llm-provider", "message-queue", "standard"])

        let llm = ResilienceProfile.llmProvider
        #expect(llm.retry?.maxAttempts == 4)
        #expect(llm.circuitBreaker?.failureThreshold.consecutiveFailures == 5)
        #expect(llm.circuitBreaker?.breakDuration.duration(forOpen: 1) == .seconds(30))
        #expect(llm.timeout == .seconds(30))
        #expect(llm.bulkhead?.maxConcurrentCalls == 10)

        let database = ResilienceProfile.database
        #expect(database.retry?.maxAttempts == 3)
        #expect(database.retry?.backoff == .linear(initial: .milliseconds(100), maxDelay: .seconds(1)))
        #expect(database.circuitBreaker == nil)
        #expect(database.timeout == .seconds(5))
        #expect(database.bulkhead == nil)

        let api = ResilienceProfile.externalAPI
        #expect(api.retry?.maxAttempts == 4)
        #expect(api.circuitBreaker?.failureThreshold.consecutiveFailures == 3)
        #expect(api.circuitBreaker?.breakDuration.duration(forOpen: 1) == .seconds(60))
        #expect(api.timeout == .seconds(10))
        #expect(api.bulkhead?.maxConcurrentCalls == 5)

        let queue = ResilienceProfile.messageQueue
        #expect(queue.retry?.maxAttempts == 6)
        #expect(queue.circuitBreaker?.failureThreshold.consecutiveFailures == 10)
        #expect(queue.timeout == .seconds(5))
        #expect(queue.bulkhead?.maxConcurrentCalls == 20)

        let standard = ResilienceProfile.standard
        #expect(standard.retry?.maxAttempts == 4)
        #expect(standard.retry?.backoff.initial == .seconds(2))
        #expect(standard.circuitBreaker?.failureThreshold.failureRatio == 0.1)
        #expect(standard.circuitBreaker?.minimumThroughput == 100)
        #expect(standard.circuitBreaker?.window.duration == .seconds(30))
        #expect(standard.circuitBreaker?.breakDuration.duration(forOpen: 1) == .seconds(5))
        #expect(standard.timeout == .seconds(10))
        #expect(standard.totalTimeout == .seconds(30))
        #expect(standard.bulkhead?.maxConcurrentCalls == 1_000)
    }

    @Test func settingsSelectAPresetAndOverrideIt() throws {
        let profile = try settings(
            """
            {"profile": "external-api", "timeout": "2s", "totalTimeout": "1m",
             "retry": {"retries": 2, "backoff": "constant", "initialDelay": "250ms"},
             "circuitBreaker": {"consecutiveFailures": 7, "breakDuration": "15s"},
             "bulkhead": null}
            """
        ).resolve()
        #expect(profile.timeout == .seconds(2))
        #expect(profile.totalTimeout == .seconds(60))
        #expect(profile.retry?.maxAttempts == 3)
        #expect(profile.retry?.backoff == .constant(.milliseconds(250), jitter: .full))
        #expect(profile.circuitBreaker?.failureThreshold.consecutiveFailures == 7)
        #expect(profile.circuitBreaker?.breakDuration.duration(forOpen: 1) == .seconds(15))
        #expect(profile.bulkhead == nil)

        let plain = try settings("{}").resolve()
        #expect(plain.totalTimeout == ResilienceProfile.standard.totalTimeout)
        // A policy the preset lacks is added with its defaults.
        let database = try settings(#"{"profile": "database", "circuitBreaker": {"consecutiveFailures": 4}}"#).resolve()
        #expect(database.circuitBreaker?.failureThreshold.consecutiveFailures == 4)
    }

    @Test func invalidSettingsAreRefusedNamingTheKey() throws {
        let cases: [(json: String, key: String)] = [
            (#"{"profile": "llm"}"#, "profile:"),
            (#"{"timeout": "40s"}"#, "timeout:"),
            (#"{"timeout": "20s"}"#, "circuitBreaker.window:"),
            (#"{"timeout": "soon"}"#, "timeout:"),
            (#"{"timeout": "0ms", "totalTimeout": "1s"}"#, "timeout:"),
            (#"{"totalTimeout": "99999999999h"}"#, "totalTimeout:"),
            (#"{"retry": {"retries": -1}}"#, "retry.retries:"),
            (#"{"retry": {"backoff": "random"}}"#, "retry.backoff:"),
            (#"{"retry": {"initialDelay": "2m", "maxDelay": "1s"}}"#, "retry.initialDelay:"),
            (#"{"circuitBreaker": {"failureRatio": 1.5}}"#, "circuitBreaker.failureRatio:"),
            (#"{"circuitBreaker": {"consecutiveFailures": 2, "failureRatio": 0.5}}"#, "circuitBreaker.consecutiveFailures:"),
            (#"{"circuitBreaker": {"window": "15s"}}"#, "circuitBreaker.window:"),
            (#"{"bulkhead": {"maxConcurrentCalls": 0}}"#, "bulkhead.maxConcurrentCalls:"),
        ]
        for (json, key) in cases {
            let message = refusal { _ = try settings(json).resolve() }
            #expect(message.hasPrefix(key), "\(json) → \(message)")
        }
    }

    @Test func unknownOrMistypedKeysAreRefusedNamingThem() throws {
        for (json, key) in [
            (#"{"retries": 2}"#, "retries"), (#"{"retry": {"attempts": 2}}"#, "attempts"), (#"{"timeout": 5}"#, "timeout"),
        ] {
            do {
                _ = try settings(json)
                Issue.record("expected \(json) to be refused")
            } catch let error as DecodingError {
                let path: [any CodingKey]
                switch error {
                case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context):
                    path = context.codingPath
                @unknown default:
                    path = []
                }
                #expect(path.last?.stringValue == key, "\(json)")
            }
        }
    }

    /// Polly's start-up checks: an attempt timeout within the total, a sampling window of at least two attempts.
    @Test func validationChecksHowThePoliciesFitTogether() {
        var profile = ResilienceProfile(timeout: .seconds(10), totalTimeout: .seconds(5))
        let attemptOverTotal = refusal { try profile.validate() }
        #expect(attemptOverTotal.hasPrefix("timeout:"), "\(attemptOverTotal)")
        profile = ResilienceProfile(circuitBreaker: CircuitBreakerConfiguration(window: .time(.seconds(15))), timeout: .seconds(10))
        let windowUnderTwoAttempts = refusal { try profile.validate() }
        #expect(windowUnderTwoAttempts.hasPrefix("circuitBreaker.window:"), "\(windowUnderTwoAttempts)")
        profile = ResilienceProfile(retry: RetryConfiguration(maxAttempts: 0))
        let noAttempts = refusal { _ = try profile.pipeline(named: "bad") }
        #expect(noAttempts.hasPrefix("retry:"), "\(noAttempts)")
    }

    /// One call builds the common pipeline from a profile: 2 retries and a breaker that 3 failures in a row open.
    @Test func aProfileBuildsTheCommonPipeline() async throws {
        let clock = ManualClock()
        let profile = ResilienceProfile(
            retry: RetryConfiguration(maxAttempts: 3, backoff: .constant(.zero)),
            circuitBreaker: .consecutiveFailures(3, breakFor: .seconds(10)),
            timeout: .seconds(1)
        )
        let pipeline = try profile.pipeline(named: "payments", clock: clock)
        #expect(pipeline.count == 3)
        #expect(pipeline.retry != nil && pipeline.circuitBreaker != nil && pipeline.attemptTimeout != nil)
        let calls = Locked(0)
        await #expect(throws: TestFailure.self) {
            try await pipeline.execute { () async throws -> Int in
                calls.mutate { $0 += 1 }
                throw TestFailure(.unavailable)
            }
        }
        #expect(calls.value == 3)
        #expect(pipeline.circuitBreaker?.state == .open)
    }
}
