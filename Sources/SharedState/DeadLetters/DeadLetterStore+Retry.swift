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
    ///
    /// A taken entry is held under a lease of ``DeadLetterConfiguration/retryLease``, renewed while the handler
    /// runs. If this instance dies before the retry settles, the lease runs out and ``reclaimAbandoned()`` puts
    /// the entry back unchanged: a letter is never lost, and may be handled again (at least once).
    ///
    /// - Returns: What became of the entry.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis is unreachable to take the entry (the
    ///   handler does not run).
    public func retry(
        _ id: DeadLetterID,
        in queue: DeadLetterQueueName,
        handler: @Sendable (DeadLetter) async throws -> Void
    ) async throws(SharedStateError) -> DeadLetterRetryOutcome {
        let prefix = configuration.keyPrefix
        let reply: RedisValue
        do {
            // Registered first, so that whoever reclaims can find this queue's lease.
            try await client.send("SADD", leasedQueuesKey, queue.value)
            reply = try await client.evaluate(
                DeadLetterScripts.take,
                keys: [key(queue), queue.leasesKey(prefix: prefix), queue.takenPrefix(prefix: prefix) + id.description],
                arguments: [id.description, String(SharedBreakerRules.milliseconds(configuration.retryLease))]
            )
        } catch {
            throw unavailable(queue, error)
        }
        if reply.isNull { return .notFound }
        let letter = try DeadLetterFields.decode(reply)
        let renewal = helpers.spawn { await self.renewLease(id, in: queue) }
        // Renewal ends with the retry, however it ends.
        defer { renewal.cancel() }
        let outcome: DeadLetterRetryOutcome
        do {
            try await handler(letter)
            outcome = .succeeded
        } catch {
            let again = PendingDeadLetter(
                queue: queue,
                payload: letter.payload,
                error: String(describing: error),
                attempts: letter.attempts + 1,
                firstFailure: DeadLetterFields.milliseconds(letter.firstFailure),
                lastFailure: DeadLetterFields.milliseconds(Date())
            )
            // Should this throw, the lease stays and runs out: the letter comes back as it was taken.
            try await enqueue(again)
            outcome = .failedAgain(attempts: again.attempts)
        }
        renewal.cancel()
        await settleLease(id, in: queue)
        return outcome
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
