import Foundation
import RedisClient

extension DeadLetterStore {
    /// Retries one entry through `handler`.
    ///
    /// The entry is taken from the queue atomically (read and deleted in one script), so when several callers or
    /// instances retry the same id, exactly one runs the handler; the others get ``DeadLetterRetryOutcome/notFound``.
    /// When the handler throws, the message goes back to the end of the queue with one more attempt, the same
    /// first failure, now as last failure and the handler error's description (which must not hold secrets) as
    /// error; if Redis is unreachable at that moment it waits in the local buffer like any ``add(to:payload:error:attempts:firstFailure:)``.
    /// An instance that dies while its handler runs loses that message.
    ///
    /// - Returns: What became of the entry.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis is unreachable to take the entry (the
    ///   handler does not run).
    public func retry(
        _ id: DeadLetterID,
        in queue: DeadLetterQueueName,
        handler: @Sendable (DeadLetter) async throws -> Void
    ) async throws(SharedStateError) -> DeadLetterRetryOutcome {
        let reply: RedisValue
        do {
            reply = try await client.evaluate(DeadLetterScripts.take, keys: [key(queue)], arguments: [id.description])
        } catch {
            throw unavailable(queue, error)
        }
        if reply.isNull { return .notFound }
        let letter = try DeadLetterFields.decode(reply)
        do {
            try await handler(letter)
            return .succeeded
        } catch {
            let again = PendingDeadLetter(
                queue: queue,
                payload: letter.payload,
                error: String(describing: error),
                attempts: letter.attempts + 1,
                firstFailure: DeadLetterFields.milliseconds(letter.firstFailure),
                lastFailure: DeadLetterFields.milliseconds(Date())
            )
            try await enqueue(again)
            return .failedAgain(attempts: again.attempts)
        }
    }

    /// Retries up to `limit` of the oldest entries through `handler`, one after another.
    ///
    /// Each entry is retried as ``retry(_:in:handler:)`` does; letters that fail again go to the end of the queue
    /// and are not retried twice by one batch.
    /// - Returns: How many succeeded, failed again, or were taken by another caller first.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis becomes unreachable; the entries already
    ///   retried keep their outcome.
    public func retryBatch(
        _ queue: DeadLetterQueueName,
        limit: Int,
        handler: @Sendable (DeadLetter) async throws -> Void
    ) async throws(SharedStateError) -> DeadLetterBatchResult {
        let page = try await list(queue, limit: limit)
        var result = DeadLetterBatchResult()
        for letter in page.letters {
            switch try await retry(letter.id, in: queue, handler: handler) {
            case .succeeded: result.succeeded += 1
            case .failedAgain: result.failedAgain += 1
            case .notFound: result.skipped += 1
            }
        }
        return result
    }
}
