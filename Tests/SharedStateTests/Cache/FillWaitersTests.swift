import Testing

@testable import SharedState

/// A fill announced while a waiter is between its read of Redis and its wait is not lost (issue 14, finding 17).
@Suite struct FillWaitersTests {
    @Test func aFillAnnouncedBeforeTheWaitWakesItAtOnce() async {
        let fills = FillWaiters()
        let ticket = fills.register("k")
        fills.wake("k")
        #expect(await fills.wait(ticket, timeout: .seconds(3_600)))
        fills.cancel(ticket)
        #expect(fills.count == 0)
    }

    @Test func aWaitWithoutAFillEndsAtItsTimeoutAndKeepsTheTicket() async {
        let fills = FillWaiters()
        let ticket = fills.register("k")
        #expect(await fills.wait(ticket, timeout: .milliseconds(1)) == false)
        fills.wake("other")
        #expect(await fills.wait(ticket, timeout: .milliseconds(1)) == false)
        fills.wake("k")
        #expect(await fills.wait(ticket, timeout: .seconds(3_600)))
        fills.cancel(ticket)
        #expect(fills.count == 0)
    }
}
