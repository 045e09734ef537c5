import SharedState
import Testing

/// Values that need no Redis: configuration checks, fingerprints and HTTP statuses.
@Suite struct IdempotencyValueTests {
    @Test func defaultsFollowTheIssue() throws {
        let configuration = IdempotencyConfiguration()
        #expect(configuration.leaseDuration == .seconds(30))
        #expect(configuration.retention == .seconds(24 * 3_600))
        try configuration.validate()
    }

    @Test func outOfRangeConfigurationNamesTheField() {
        let cases: [(IdempotencyConfiguration, String)] = [
            (IdempotencyConfiguration(leaseDuration: .zero), "leaseDuration"),
            (IdempotencyConfiguration(retention: .milliseconds(-1)), "retention"),
            (IdempotencyConfiguration(wait: .init(timeout: .seconds(-1))), "wait.timeout"),
            (IdempotencyConfiguration(wait: .init(initialPoll: .zero)), "wait.initialPoll"),
            (IdempotencyConfiguration(wait: .init(initialPoll: .seconds(1), maximumPoll: .milliseconds(10))), "wait.maximumPoll"),
        ]
        for (configuration, field) in cases {
            let error = #expect(throws: SharedStateError.self) { try configuration.validate() }
            #expect(error?.code == .invalidConfiguration)
            #expect(error?.message.hasPrefix(field) == true)
        }
    }

    @Test func digestsBecomeLowercaseHex() throws {
        #expect(IdempotencyFingerprint(digest: [0x00, 0x0F, 0xA0, 0xFF]).value == "000fa0ff")
        #expect(IdempotencyFingerprint(digest: Array(repeating: 0xAB, count: 32)).value.count == 64)
        #expect(try IdempotencyFingerprint("sha256:abc").value == "sha256:abc")
    }

    @Test func outcomesMapToTheDraftsStatuses() {
        #expect(IdempotencyOutcome.missingKeyStatus == 400)
        #expect(IdempotencyOutcome.invalidKeyStatus == 400)
        #expect(IdempotencyOutcome.inProgress.httpStatus == 409)
        #expect(IdempotencyOutcome.mismatch.httpStatus == 422)
        #expect(IdempotencyOutcome.executed([1]).httpStatus == nil)
        #expect(IdempotencyOutcome.replayed([1]).httpStatus == nil)
        #expect(IdempotencyOutcome.inProgress.result == nil)
        #expect(IdempotencyOutcome.replayed([7]).result == [7])
    }
}
