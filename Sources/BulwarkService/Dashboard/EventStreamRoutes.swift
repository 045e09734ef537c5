import Hummingbird
import ServiceLifecycle

/// `GET /api/v1/events`: the dashboard's live feed as server-sent events (see ``BreakerFeed`` for the
/// event types). The stream ends when the client goes away or the service shuts down gracefully.
struct EventStreamRoutes {
    let feed: BreakerFeed

    func register(on router: Router<BulwarkRequestContext>) {
        router.get("api/v1/events") { _, _ in
            Response(
                status: .ok,
                headers: [
                    .contentType: "text/event-stream; charset=utf-8",
                    .cacheControl: "no-store",
                    // Proxies such as nginx would otherwise hold events back in their buffers.
                    .xAccelBuffering: "no",
                ],
                body: ResponseBody { [feed] writer in
                    let client = feed.connect()
                    defer { feed.disconnect(client.id) }
                    try await withGracefulShutdownHandler {
                        for await event in client.events {
                            try await writer.write(event.buffer)
                        }
                    } onGracefulShutdown: {
                        feed.disconnect(client.id)
                    }
                    try await writer.finish(nil)
                }
            )
        }
    }
}
