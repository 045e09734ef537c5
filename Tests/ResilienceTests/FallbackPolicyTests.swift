import Resilience
import Testing

@Suite struct FallbackPolicyTests {
    @Test func answersChosenKindsWithTheValue() async throws {
        let fallback = FallbackPolicy(kinds: [.breakerOpen, .timeout], value: "cached")
        #expect(try await fallback.execute { throw ResilienceError(.breakerOpen) } == "cached")
        #expect(try await fallback.execute { "live" } == "live")
        await #expect(throws: TestFailure.self) { try await fallback.execute { throw TestFailure(.notFound) } }
    }

    @Test func aHandlerSeesTheClassifiedFailure() throws {
        let fallback = FallbackPolicy<String> { failure in "fallback for \(failure.code)" }
        #expect(try fallback.executeSync { throw TestFailure(.unavailable) } == "fallback for unavailable")
    }

    @Test func anAsyncHandlerAppliesOnlyToAsyncCalls() async throws {
        let fallback = FallbackPolicy<Int>(asyncHandler: { _ in 3 })
        #expect(try await fallback.execute { throw TestFailure(.timeout) } == 3)
        #expect(throws: TestFailure.self) { try fallback.executeSync { throw TestFailure(.timeout) } }
    }

    @Test func cancellationIsNeverAnswered() async {
        let fallback = FallbackPolicy(value: 0)
        await #expect(throws: CancellationError.self) { try await fallback.execute { throw CancellationError() } }
    }
}
