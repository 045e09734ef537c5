import Resilience
import Testing

@Suite struct FallbackPolicyTests {
    @Test func answersChosenKindsWithTheValue() async throws {
        let fallback = FallbackPolicy(kinds: [.breakerOpen, .timeout], value: "cached")
        let whileOpen = try await fallback.execute { throw ResilienceError(.breakerOpen) }
        #expect(whileOpen == "cached")
        let live = try await fallback.execute { "live" }
        #expect(live == "live")
        await #expect(throws: TestFailure.self) { try await fallback.execute { throw TestFailure(.notFound) } }
    }

    @Test func aHandlerSeesTheClassifiedFailure() throws {
        let fallback = FallbackPolicy<String> { failure in "fallback for \(failure.code)" }
        let answer = try fallback.executeSync { throw TestFailure(.unavailable) }
        #expect(answer == "fallback for unavailable")
    }

    @Test func anAsyncHandlerAppliesOnlyToAsyncCalls() async throws {
        let fallback = FallbackPolicy<Int>(asyncHandler: { _ in 3 })
        let answer = try await fallback.execute { throw TestFailure(.timeout) }
        #expect(answer == 3)
        #expect(throws: TestFailure.self) { try fallback.executeSync { throw TestFailure(.timeout) } }
    }

    @Test func cancellationIsNeverAnswered() async {
        let fallback = FallbackPolicy(value: 0)
        await #expect(throws: CancellationError.self) { try await fallback.execute { throw CancellationError() } }
    }
}
