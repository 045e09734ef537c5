import Foundation
import Hummingbird
import Logging
import OperatorViews
import SharedState

/// Dead letters of a queue:
/// - `GET /api/v1/dlq/{queue}?after=ID&limit=N` — a page, oldest first, and the cursor of the next one;
/// - `POST /api/v1/dlq/{queue}/{id}/retry` — one letter through the handler this instance registered;
/// - `POST /api/v1/dlq/{queue}/retry` with `{"limit":N}` — the N oldest, one after another;
/// - `POST /api/v1/dlq/{queue}/purge` with `{"olderThanSeconds":S}` — delete letters older than S seconds.
struct DeadLetterRoutes {
    let components: ServiceComponents

    func register(on routes: RouteRegistrar) {
        routes.read("api/v1/dlq/:queue") { request, context in
            let queue = try DeadLetterQueueName(try context.pathParameter("queue"))
            let after = try request.optionalQuery("after").map { text throws(SharedStateError) in try DeadLetterID(text) }
            let limit = try Self.limit(request.optionalQuery("limit"))
            let page = try await components.deadLetters.list(queue, after: after, limit: limit)
            let total = try await components.deadLetters.count(queue)
            return JSONBody(
                DeadLetterPageView(
                    queue: queue.value,
                    total: total,
                    letters: page.letters.map(DeadLetterView.init),
                    next: page.nextCursor?.description
                )
            ).response(status: .ok)
        }
        routes.change("api/v1/dlq/:queue/:id/retry") { _, context in
            let queue = try DeadLetterQueueName(try context.pathParameter("queue"))
            let id = try DeadLetterID(try context.pathParameter("id"))
            let outcome = try await Self.withHandler(queue) { try await components.deadLetters.retry(id, in: queue) }
            switch outcome {
            case .succeeded: return JSONBody(["outcome": "succeeded"]).response(status: .ok)
            case .failedAgain(let attempts): return JSONBody(RetryFailure(outcome: "failed-again", attempts: attempts)).response(status: .ok)
            case .notFound: throw APIError(.notFound, "no dead letter with this id in the queue", details: ["id": .string(id.description)])
            }
        }
        routes.change("api/v1/dlq/:queue/retry") { request, context in
            let queue = try DeadLetterQueueName(try context.pathParameter("queue"))
            let body = try await request.decodeBody(as: BatchRetryRequest.self, context: context)
            guard (1...1_000).contains(body.limit) else { throw APIError(.validation, "'limit' must be 1 to 1000") }
            let result = try await Self.withHandler(queue) { try await components.deadLetters.retryBatch(queue, limit: body.limit) }
            return JSONBody(["succeeded": result.succeeded, "failedAgain": result.failedAgain, "skipped": result.skipped]).response(status: .ok)
        }
        routes.change("api/v1/dlq/:queue/purge") { request, context in
            let queue = try DeadLetterQueueName(try context.pathParameter("queue"))
            let body = try await request.decodeBody(as: PurgeRequest.self, context: context)
            guard (1...OperatorLimits.longestDurationSeconds).contains(body.olderThanSeconds) else {
                throw APIError(
                    .validation,
                    "'olderThanSeconds' must be 1 to \(OperatorLimits.longestDurationSeconds) (ten years)",
                    details: ["field": "olderThanSeconds"]
                )
            }
            let purged = try await components.deadLetters.purge(queue, olderThan: .seconds(body.olderThanSeconds))
            context.logger.notice("operator purged dead letters", metadata: ["dlq.queue": "\(queue)", "dlq.purged": "\(purged)"])
            return JSONBody(["purged": purged]).response(status: .ok)
        }
    }

    private static func limit(_ text: String?) throws(APIError) -> Int {
        guard let text else { return 100 }
        guard let limit = Int(text), (1...1_000).contains(limit) else { throw APIError(.validation, "'limit' must be 1 to 1000") }
        return limit
    }

    /// Runs a retry; a queue this instance has no handler for is a conflict with its state, not bad input.
    private static func withHandler<T>(_ queue: DeadLetterQueueName, _ retry: () async throws -> T) async throws -> T {
        do {
            return try await retry()
        } catch let error as SharedStateError where error.code == .invalidConfiguration {
            throw APIError(.conflict, "this instance has no retry handler for the queue '\(queue)'", underlying: error)
        }
    }
}

/// The body of a batch retry.
struct BatchRetryRequest: Decodable {
    let limit: Int
}

/// The body of a purge.
struct PurgeRequest: Decodable {
    let olderThanSeconds: Int64
}

/// A retry whose handler failed again.
struct RetryFailure: Encodable {
    let outcome: String
    let attempts: Int
}

/// A page of dead letters.
struct DeadLetterPageView: Encodable {
    let queue: String
    let total: Int
    let letters: [DeadLetterView]
    let next: String?
}
