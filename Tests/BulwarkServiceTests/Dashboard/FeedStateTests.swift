import Foundation
import SharedState
import Testing

@testable import BulwarkService

/// What each client of the feed is sent, with no Redis and no HTTP.
@Suite struct FeedStateTests {
    static func view(_ name: String, state: String = "closed", generation: UInt64 = 1) -> BreakerView {
        BreakerView(
            name: name,
            state: state,
            severity: 0,
            generation: generation,
            openRemainingMilliseconds: nil,
            failureRatio: nil,
            callsPerSecond: 0,
            rejectedPerSecond: 0,
            rejectedTotal: 0,
            instancesOpen: [],
            instancesHalfOpen: [],
            instancesClosed: [],
            instances: [],
            configuration: SharedBreakerDescriptor(
                json:
                    #"{"scope":"shared","rule":"ratio","threshold":0.5,"minimumThroughput":10,"windowMilliseconds":10000,"breakMilliseconds":5000,"halfOpenPermits":1,"halfOpenSuccesses":1}"#
            )!
        )
    }

    static func list(_ views: [BreakerView], live: [String] = ["a"]) -> BreakerList {
        BreakerList(instance: "a", sharedState: FleetStatus(.shared), liveInstances: live, refreshedAt: Date(), breakers: views)
    }

    static func summary(of list: BreakerList, status: SharedStateStatus = .shared) -> FleetSummary {
        FleetSummary(instance: list.instance, sharedState: FleetStatus(status), liveInstances: list.liveInstances)
    }

    /// Every event of a finished stream.
    private func collect(_ events: AsyncStream<ServerSentEvent>) async -> [ServerSentEvent] {
        var received: [ServerSentEvent] = []
        for await event in events { received.append(event) }
        return received
    }

    /// Events received so far, as `name` lines.
    private func names(_ events: [ServerSentEvent]) -> [String] {
        events.compactMap { event in event.text.split(separator: "\n").first.map(String.init) }
    }

    @Test func aNewClientGetsASnapshotThenOnlyWhatChanged() async {
        var state = FeedState()
        let (events, client) = AsyncStream.makeStream(of: ServerSentEvent.self)
        _ = state.add(client)
        let first = Self.list([Self.view("a"), Self.view("b")])
        _ = state.publish(first, summary: Self.summary(of: first))
        let second = Self.list([Self.view("a", state: "isolated", generation: 2)])
        _ = state.publish(second, summary: Self.summary(of: second))
        let third = Self.list([Self.view("a", state: "isolated", generation: 2)], live: ["a", "b"])
        _ = state.publish(third, summary: Self.summary(of: third, status: .localFallback(reason: "timeout")))
        client.finish()
        let received = await collect(events)
        #expect(names(received) == ["retry: 2000", "event: snapshot", "event: breaker", "event: removed", "event: status"])
        #expect(received[2].text.contains(#""state":"isolated""#))
        #expect(received[3].text.contains(#"{"name":"b"}"#))
        #expect(received[4].text.contains(#""mode":"fallback""#) && received[4].text.contains(#""reason":"timeout""#))
    }

    @Test func aClientJoiningLaterStartsFromTheLastView() async {
        var state = FeedState()
        let (earlyEvents, early) = AsyncStream.makeStream(of: ServerSentEvent.self)
        _ = state.add(early)
        let list = Self.list([Self.view("a")])
        _ = state.publish(list, summary: Self.summary(of: list))
        let (events, late) = AsyncStream.makeStream(of: ServerSentEvent.self)
        _ = state.add(late)
        late.finish()
        let received = await collect(events)
        #expect(names(received) == ["retry: 2000", "event: snapshot"])
        withExtendedLifetime(earlyEvents) {}
    }

    @Test func aFailedReadSendsOnlyTheStatus() async {
        var state = FeedState()
        let (events, client) = AsyncStream.makeStream(of: ServerSentEvent.self)
        _ = state.add(client)
        let list = Self.list([Self.view("a")])
        _ = state.publish(list, summary: Self.summary(of: list))
        _ = state.publish(nil, summary: Self.summary(of: list, status: .localFallback(reason: "connection lost")))
        _ = state.publish(nil, summary: Self.summary(of: list, status: .localFallback(reason: "connection lost")))
        client.finish()
        #expect(names(await collect(events)) == ["retry: 2000", "event: snapshot", "event: status"])
    }

    @Test func whileRedisCannotBeReadClientsLearnTheFallbackBeforeAnySnapshot() async {
        var state = FeedState()
        let (events, client) = AsyncStream.makeStream(of: ServerSentEvent.self)
        _ = state.add(client)
        let fallback = FleetSummary(instance: "a", sharedState: FleetStatus(.localFallback(reason: "connection refused")), liveInstances: [])
        _ = state.publish(nil, summary: fallback)
        let (laterEvents, later) = AsyncStream.makeStream(of: ServerSentEvent.self)
        _ = state.add(later)
        client.finish()
        later.finish()
        #expect(names(await collect(events)) == ["retry: 2000", "event: status"])
        #expect(names(await collect(laterEvents)) == ["retry: 2000", "event: status"])
    }

    @Test func aClientWhoseBufferIsFullIsDropped() {
        var state = FeedState()
        let (events, client) = AsyncStream.makeStream(of: ServerSentEvent.self, bufferingPolicy: .bufferingOldest(1))
        let id = state.add(client)
        let dropped = state.broadcast(.heartbeat)
        #expect(dropped.count == 1)
        #expect(state.clients[id] == nil)
        withExtendedLifetime(events) {}
    }

    @Test func eventsAreOneLineOfJSON() {
        let event = ServerSentEvent("removed", ["name": "line\nbreak"])
        #expect(event.text == "event: removed\ndata: {\"name\":\"line\\nbreak\"}\n\n")
    }
}
