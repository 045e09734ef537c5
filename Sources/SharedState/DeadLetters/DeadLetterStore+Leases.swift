import Logging
import RedisClient

extension DeadLetterStore {
    /// The set of queues that have had letters taken for a retry, where ``reclaimAbandoned()`` looks for leases.
    var leasedQueuesKey: String { configuration.keyPrefix + ":dlq-leased-queues" }

    /// Puts back in their queues the letters whose retry lease ran out: their retrying instance died, or lost
    /// Redis, before the retry settled. Each goes to the end of its queue with its fields as they were taken.
    /// ``run()`` calls this every ``DeadLetterConfiguration/flushInterval``; any number of stores may do so at
    /// once, since each lease is ended in one atomic step.
    /// - Returns: How many letters came back.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis cannot be reached.
    @discardableResult
    public func reclaimAbandoned() async throws(SharedStateError) -> Int {
        let reply: RedisValue
        do {
            reply = try await client.send("SMEMBERS", leasedQueuesKey)
        } catch {
            throw SharedStateError(.storeUnavailable, "the dead-letter store could not be reached in Redis: \(error.code)", underlying: error)
        }
        let batch = 100
        var reclaimed = 0
        for member in reply.array ?? [] {
            guard let name = member.string, let queue = try? DeadLetterQueueName(name) else { continue }
            let prefix = configuration.keyPrefix
            while true {
                let answer: RedisValue
                do {
                    answer = try await client.evaluate(
                        DeadLetterScripts.reclaim,
                        keys: [key(queue), queue.leasesKey(prefix: prefix)],
                        arguments: [
                            String(batch), configuration.exactTrimming ? "=" : "~", String(configuration.maximumLength),
                            queue.takenPrefix(prefix: prefix),
                        ]
                    )
                } catch {
                    throw unavailable(queue, error)
                }
                guard let parts = answer.array, parts.count == 2, let ended = parts[0].int, let back = parts[1].int else {
                    throw SharedStateError(.unexpectedReply, "reclaiming dead letters answered \(answer)")
                }
                if back > 0 {
                    logger.warning(
                        "dead letters whose retry was abandoned are back in their queue",
                        metadata: ["dlq.queue": "\(queue)", "dlq.reclaimed": "\(back)"]
                    )
                }
                reclaimed += back
                if ended < batch { break }
            }
        }
        return reclaimed
    }

    /// Renews the lease of a taken letter every third of ``DeadLetterConfiguration/retryLease`` until cancelled.
    func renewLease(_ id: DeadLetterID, in queue: DeadLetterQueueName) async {
        let lease = configuration.retryLease
        while true {
            do {
                try await Task.sleep(for: lease / 3)
            } catch {
                return
            }
            do {
                let held = try await client.evaluate(
                    DeadLetterScripts.renew,
                    keys: [queue.leasesKey(prefix: configuration.keyPrefix)],
                    arguments: [id.description, String(SharedBreakerRules.milliseconds(lease))]
                )
                if held.int == 0 {
                    logger.warning(
                        "a dead-letter retry outlived its lease; the letter is back in its queue and may run again",
                        metadata: ["dlq.queue": "\(queue)", "dlq.id": "\(id)"]
                    )
                    return
                }
            } catch {
                logger.debug("a dead-letter lease could not be renewed", metadata: ["dlq.queue": "\(queue)", "redis.error": "\(error.code)"])
            }
        }
    }

    /// Ends the lease of a letter whose retry settled (done, or back in its queue with one more attempt).
    /// When Redis cannot be reached the lease runs out instead, and the letter comes back as it was taken.
    func settleLease(_ id: DeadLetterID, in queue: DeadLetterQueueName) async {
        let prefix = configuration.keyPrefix
        do {
            _ = try await client.transaction([
                RedisCommand("ZREM", queue.leasesKey(prefix: prefix), id.description),
                RedisCommand("DEL", queue.takenPrefix(prefix: prefix) + id.description),
            ])
        } catch {
            logger.warning(
                "a settled dead-letter retry could not end its lease; the letter will come back when the lease runs out",
                metadata: ["dlq.queue": "\(queue)", "dlq.id": "\(id)", "redis.error": "\(error.code)"]
            )
        }
    }
}
