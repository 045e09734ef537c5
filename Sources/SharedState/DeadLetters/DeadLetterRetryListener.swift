import Logging
import RedisClient
import ServiceLifecycle

/// Runs retry requests of processes that have no handler of their own (`bulwark dlq retry`) through the handlers
/// this instance registered on its ``DeadLetterStore``, and answers each on the requester's reply channel.
///
/// ```swift
/// let listener = DeadLetterRetryListener(store: deadLetters, instanceID: instanceID)
/// let group = ServiceGroup(services: [deadLetters, listener], logger: logger)
/// ```
///
/// Every request is answered: with the outcome when this instance has a handler for the queue, else with
/// `no-handler`, so that the requester knows at once when no instance can retry the queue. Requests run
/// concurrently; a slow handler does not hold up the others. Requests published while the subscription is down
/// are lost (pub/sub is at most once) and the requester times out.
public struct DeadLetterRetryListener: Service {
    /// The store whose handlers run the retries.
    public let store: DeadLetterStore
    /// This instance's id in the answers.
    public let instanceID: String
    private let logger: Logger

    /// Creates a listener.
    /// - Parameters:
    ///   - store: The store whose registered handlers run the retries.
    ///   - instanceID: This instance's id, named in the answers.
    ///   - logger: Where failed answers are logged.
    public init(store: DeadLetterStore, instanceID: String, logger: Logger = Logger(label: "bulwark.dead-letters")) {
        self.store = store
        self.instanceID = instanceID
        self.logger = logger
    }

    /// Listens for requests until cancelled or a graceful shutdown.
    public func run() async throws {
        let subscription = try store.client.subscriptions.subscribe(channels: [store.retryRequestsChannel])
        defer { subscription.cancel() }
        do {
            try await subscription.activate()
        } catch {
            // The subscription is remembered and becomes active when Redis answers.
            logger.debug("dead-letter retry requests not subscribed yet", metadata: ["redis.error": "\(error)"])
        }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for await event in subscription.events {
                    guard case .message(_, let payload) = event,
                        let request = DeadLetterRetryRequest(message: String(decoding: payload, as: UTF8.self))
                    else { continue }
                    group.addTask { await answer(request) }
                }
            }
        }
    }

    private func answer(_ request: DeadLetterRetryRequest) async {
        let reply: DeadLetterRetryReply
        do {
            let outcome = try await store.retry(request.id, in: request.queue)
            reply = .answered(DeadLetterRetryAnswer(outcome: outcome, instance: instanceID))
        } catch  where error.code == .invalidConfiguration {
            reply = .noHandler(instance: instanceID)
        } catch {
            logger.info("a requested dead-letter retry failed", metadata: ["dlq.queue": "\(request.queue)", "error": "\(error)"])
            return
        }
        do {
            try await store.client.send("PUBLISH", store.retryRepliesChannel(request.token), reply.message)
        } catch {
            logger.info("could not answer a dead-letter retry request", metadata: ["dlq.queue": "\(request.queue)", "redis.error": "\(error)"])
        }
    }
}
