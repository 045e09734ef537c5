import Hummingbird
import ServiceLifecycle

/// `GET /api/v1/events`: the dashboard's live feed as server-sent events (see ``BreakerFeed`` for the
/// event types). The stream ends when the client goes away or the service shuts down gracefully. At most
/// `maximumEventStreams` streams are open at once; beyond that the answer is 503 with `Retry-After`.
struct EventStreamRoutes {
    let feed: BreakerFeed

    /// Seconds a refused client is asked to wait before it tries again.
    static let retryAfterSeconds = 5

    func register(on routes: RouteRegistrar) {
        routes.read("api/v1/events") { _, _ in
            guard let client = feed.connect() else {
                throw APIError(
                    .unavailable,
                    "too many event streams are open on this instance",
                    retryAfterSeconds: Self.retryAfterSeconds
                )
            }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/event-stream; charset=utf-8",
                    .cacheControl: "no-store",
                    // Proxies such as nginx would otherwise hold events back in their buffers.
                    .xAccelBuffering: "no",
                ],
                body: ResponseBody { [feed] writer in
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
