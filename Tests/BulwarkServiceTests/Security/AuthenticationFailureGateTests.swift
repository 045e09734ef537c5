import Testing

@testable import BulwarkService

/// The guess counter: per address, forgetting old failures, and bounded in the addresses it remembers.
@Suite struct AuthenticationFailureGateTests {
    @Test func failuresCountPerAddressAndLeaveTheWindow() {
        let gate = AuthenticationFailureGate(limit: 3, window: .seconds(60))
        let start = ContinuousClock.now
        for _ in 0..<3 { gate.recordFailure("10.0.0.1", at: start) }
        #expect(gate.closedFor("10.0.0.1", at: start) == .seconds(60))
        #expect(gate.closedFor("10.0.0.2", at: start) == nil)
        #expect(gate.closedFor("10.0.0.1", at: start + .seconds(60)) == nil)
    }

    @Test func aFloodOfAddressesIsBounded() {
        let gate = AuthenticationFailureGate(limit: 3, window: .seconds(60), maximumAddresses: 100)
        let start = ContinuousClock.now
        for index in 0..<10_000 { gate.recordFailure("10.0.\(index / 256).\(index % 256)", at: start + .milliseconds(index)) }
        #expect(gate.addressCount <= 100)
        // The most recent guessers are the ones remembered.
        for _ in 0..<2 { gate.recordFailure("10.0.39.15", at: start + .seconds(11)) }
        #expect(gate.closedFor("10.0.39.15", at: start + .seconds(11)) != nil)
    }
}
