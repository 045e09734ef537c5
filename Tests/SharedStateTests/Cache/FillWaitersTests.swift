import Testing

@testable import SharedState

/// A fill announced while a waiter is between its read of Redis and its wait is not lost (issue 14, finding 17).
@Suite struct FillWaitersTests {
    @Test func aFillAnnouncedBeforeTheWaitWakesItAtOnce() async {
        let fills = FillWaiters()
        let ticket = fills.register("k")
        fills.wake("k")
        #expect(await fills.wait(ticket, timeout: .seconds(3_600)) != nil)
        fills.cancel(ticket)
        #expect(fills.count == 0)
    }

    @Test func aWaitWithoutAFillEndsAtItsTimeoutAndKeepsTheTicket() async {
        let fills = FillWaiters()
        let ticket = fills.register("k")
        #expect(await fills.wait(ticket, timeout: .milliseconds(1)) == nil)
        fills.wake("other")
        #expect(await fills.wait(ticket, timeout: .milliseconds(1)) == nil)
        fills.wake("k")
        #expect(await fills.wait(ticket, timeout: .seconds(3_600)) != nil)
        fills.cancel(ticket)
        #expect(fills.count == 0)
    }

    /// A value carried by the fill message reaches the waiter, whether it was waiting or between two waits.
    @Test func aCarriedValueReachesTheWaiter() async {
        let fills = FillWaiters()
        let ticket = fills.register("k")
        fills.wake("k", .value(FilledValue(bytes: [1, 2], timeToLive: .seconds(5), tags: ["t"], removalsAtArrival: 0)))
        guard case .value(let early)? = await fills.wait(ticket, timeout: .seconds(3_600)) else {
            Issue.record("the value announced before the wait was lost")
            return
        }
        #expect(early.bytes == [1, 2])
        #expect(early.tags == ["t"])

        async let waited = fills.wait(ticket, timeout: .seconds(3_600))
        // Wakes it once it waits (a wake before that is kept for the wait, as above: either way it arrives).
        fills.wake("k", .value(FilledValue(bytes: [3], timeToLive: .seconds(5), tags: [], removalsAtArrival: 0)))
        guard case .value(let late)? = await waited else {
            Issue.record("the value announced during the wait was lost")
            return
        }
        #expect(late.bytes == [3])
        fills.cancel(ticket)
        #expect(fills.count == 0)
    }

    /// A load cancelled while it waits for another instance's fill stops waiting (here: cancelled before its
    /// wait began, which the cancellation handler alone would miss), however long the poll interval.
    @Test func aCancelledWaitEndsAtOnce() async {
        let fills = FillWaiters()
        let ticket = fills.register("k")
        let waiting = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await fills.wait(ticket, timeout: .seconds(3_600))
        }
        #expect(await waiting.value == nil)
        // The ticket still works for the next wait.
        fills.wake("k")
        #expect(await fills.wait(ticket, timeout: .seconds(3_600)) != nil)
        fills.cancel(ticket)
    }
}

/// A fill message's value kept between two waits must not outlive an invalidation that came after it: the
/// in-process tier counts every removal, and a kept value stamped with an older count is not answered.
@Suite struct LocalTierRemovalCountTests {
    @Test func everyKindOfRemovalMovesTheCount() {
        let tier = LocalCacheTier(capacity: 16)
        var seen = tier.removalCount
        for remove in [{ tier.remove("k") }, { tier.remove(prefix: "p") }, { tier.remove(tag: "t") }, { tier.removeAll() }] {
            remove()
            #expect(tier.removalCount > seen)
            seen = tier.removalCount
        }
    }
}
