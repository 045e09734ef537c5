import Logging
import RedisTestSupport
import Testing

@testable import BulwarkService

/// The shared feed on a real Redis: a client gets its snapshot, and one that goes away is forgotten.
@Suite(.serialized) struct BreakerFeedTests {
    @Test func aClientGetsASnapshotAndIsForgottenWhenItsStreamEnds() async throws {
        try await ServiceHarness.run { service in
            var logger = Logger(label: "feed")
            logger.logLevel = .critical
            let feed = BreakerFeed(
                components: service.components,
                overview: BreakerOverview(components: service.components, logger: Logger(label: "overview")),
                logger: logger
            )
            let running = Task { try await feed.run() }
            defer { running.cancel() }

            var client: (id: UInt64, events: AsyncStream<ServerSentEvent>)? = feed.connect()
            var iterator = client?.events.makeAsyncIterator()
            #expect(await iterator?.next()?.text == "retry: 2000\n\n")
            let snapshot = try #require(await iterator?.next())
            #expect(snapshot.text.hasPrefix("event: snapshot\ndata: {"))
            #expect(snapshot.text.contains(#""instance":"\#(service.components.instanceID)""#))
            #expect(feed.clientCount == 1)

            // The response writer gone (the browser closed the tab): its stream is released.
            iterator = nil
            client = nil
            try await eventually { if feed.clientCount != 0 { throw StillConnected() } }
            #expect(feed.clientCount == 0)
        }
    }

    private struct StillConnected: Error {}
}
