import Logging
import RedisClient

extension DeadLetterStore {
    /// The channel on which retry requests reach every instance's ``DeadLetterRetryListener``.
    public var retryRequestsChannel: String { configuration.keyPrefix + ":dlq-retry-requests" }

    /// The channel on which the instances answer the request with `token`.
    func retryRepliesChannel(_ token: String) -> String { configuration.keyPrefix + ":dlq-retry-replies:" + token }

    /// Asks the running instances to retry one letter through the handler one of them registered for the queue,
    /// and waits for the answer: for processes that have no handler of their own, such as `bulwark dlq retry`.
    ///
    /// The request is published on ``retryRequestsChannel``; every ``DeadLetterRetryListener`` answers on a reply
    /// channel of this request's own. Of several instances with a handler exactly one takes the letter (the take is
    /// atomic), so the first answer that ran the handler decides.
    ///
    /// ```swift
    /// if let answer = try await store.requestRetry(id, in: orders) {
    ///     print(answer.outcome, "on", answer.instance)
    /// }
    /// ```
    /// - Parameters:
    ///   - id: The letter.
    ///   - queue: Its queue.
    ///   - timeout: How long to wait for the instances' answers.
    /// - Returns: The outcome and the instance that decided it; ``DeadLetterRetryOutcome/notFound`` when an instance
    ///   with a handler found no such letter; `nil` when no listening instance has a handler for the queue or none
    ///   answered within `timeout` (the letter may then still be retried by a slow instance).
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis is unreachable.
    public func requestRetry(
        _ id: DeadLetterID,
        in queue: DeadLetterQueueName,
        timeout: Duration = .seconds(5)
    ) async throws(SharedStateError) -> DeadLetterRetryAnswer? {
        let request = DeadLetterRetryRequest(token: DeadLetterRetryRequest.newToken(), queue: queue, id: id)
        let subscriber: RedisSubscriber
        let listeners: Int
        do {
            subscriber = try RedisSubscriber(configuration: client.configuration, logger: logger)
            try await subscriber.subscribe(channels: [retryRepliesChannel(request.token)])
        } catch {
            throw unavailable(queue, error)
        }
        defer { subscriber.shutdown() }
        do {
            listeners = try await client.send("PUBLISH", retryRequestsChannel, request.message).int ?? 0
        } catch {
            throw unavailable(queue, error)
        }
        guard listeners > 0 else { return nil }
        return await Self.collect(from: subscriber, listeners: listeners, timeout: timeout)
    }

    /// Reads replies until one ran the handler, every listener answered, or `timeout` passed (which ends the
    /// subscriber's stream).
    private static func collect(from subscriber: RedisSubscriber, listeners: Int, timeout: Duration) async -> DeadLetterRetryAnswer? {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: timeout)
                subscriber.shutdown()
            }
            defer { group.cancelAll() }
            // A `not-found` may come from an instance that lost the take to the one that ran the letter: it decides
            // only when no instance ran it.
            var notFound: DeadLetterRetryAnswer?
            var answered = 0
            for await event in subscriber.events {
                guard case .message(_, let payload) = event,
                    let reply = DeadLetterRetryReply(message: String(decoding: payload, as: UTF8.self))
                else { continue }
                answered += 1
                if case .answered(let answer) = reply {
                    if answer.outcome != .notFound { return answer }
                    notFound = answer
                }
                if answered >= listeners { break }
            }
            return notFound
        }
    }
}
