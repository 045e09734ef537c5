import CoreMetrics
import Logging
import RedisClient
import ServiceLifecycle
import Synchronization

extension DeadLetterStore {
    /// Replays the local buffer into Redis, oldest first, until it is empty or Redis stops answering.
    ///
    /// Only one flush runs at a time; a call made while another runs returns 0 at once. A letter Redis refuses
    /// for good (`RedisFailureKind.commandRejected` or `RedisFailureKind.scriptError`, such as its stream key
    /// holding another type) is dropped and counted in ``droppedCount``, so that it cannot hold up the others. A
    /// refusal that concerns Redis rather than the letter (`OOM`, `NOPERM`, a refused password) stops the flush
    /// like an outage and keeps every letter: it is not the letters' fault, and they go in once it is fixed.
    /// - Returns: How many letters this call wrote.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis is still unreachable or refuses every write
    ///   (its ``SharedStateError/underlying`` `RedisClientError` says which, by its `failureKind`); what was
    ///   written before stays written.
    @discardableResult
    public func flushPending() async throws(SharedStateError) -> Int {
        guard pending.withLock({ $0.beginFlush() }) else { return 0 }
        defer {
            pending.withLock { $0.endFlush() }
            reportBuffer()
        }
        var written = 0
        while let (sequence, letter) = pending.withLock({ $0.first }) {
            do {
                _ = try await write(letter)
                pending.withLock { $0.removeFirst(sequence: sequence) }
                written += 1
            } catch  where !Self.refusesTheLetter(error) {
                let why = error.failureKind.isUnreachable ? "Redis is unreachable" : "Redis refuses writes (\(error.failureKind))"
                throw SharedStateError(
                    .storeUnavailable,
                    "\(why); \(written) dead letters replayed, \(pendingCount) still buffered",
                    underlying: error
                )
            } catch {
                logger.info(
                    "Redis refused a buffered dead letter; dropped",
                    metadata: ["dlq.queue": "\(letter.queue)", "redis.error": "\(error.code)"]
                )
                pending.withLock { $0.dropFirst(sequence: sequence) }
                droppedCounter.increment()
            }
        }
        logger.info("dead letters buffered during the outage replayed into Redis", metadata: ["dlq.replayed": "\(written)"])
        return written
    }

    /// Replays the local buffer and puts back letters whose retry was abandoned (``reclaimAbandoned()``) every
    /// ``DeadLetterConfiguration/flushInterval`` until the task is cancelled or the service group shuts down
    /// gracefully, then replays the buffer one last time.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if self.pendingCount > 0 {
                    do {
                        try await self.flushPending()
                    } catch {
                        self.logger.debug("dead letters still buffered", metadata: ["dlq.pending": "\(self.pendingCount)"])
                    }
                }
                do {
                    try await self.reclaimAbandoned()
                } catch {
                    self.logger.debug("abandoned dead-letter retries not reclaimed yet", metadata: ["dlq.error": "\(error)"])
                }
                try? await Task.sleep(for: self.configuration.flushInterval)
            }
        }
        _ = try? await flushPending()
    }

    /// Writes a letter to its stream, or to the local buffer when Redis is unreachable or letters already wait
    /// there (so that order is kept).
    @discardableResult
    func enqueue(_ letter: PendingDeadLetter) async throws(SharedStateError) -> DeadLetterID? {
        if pendingCount > 0 { _ = try? await flushPending() }
        if pendingCount == 0 {
            do {
                return try await write(letter)
            } catch  where error.failureKind.isUnreachable {
                // Logged once per outage below, not once per letter.
            } catch {
                throw unavailable(letter.queue, error)
            }
        }
        let (dropped, count) = pending.withLock { buffer in (buffer.append(letter), buffer.count) }
        if dropped > 0 { droppedCounter.increment(by: dropped) }
        if count == 1 {
            logger.info("Redis unreachable; dead letters are buffered locally", metadata: ["dlq.queue": "\(letter.queue)"])
        }
        reportBuffer()
        return nil
    }

    /// `XADD`s one letter.
    func write(_ letter: PendingDeadLetter) async throws(RedisClientError) -> DeadLetterID {
        let command = letter.command(
            prefix: configuration.keyPrefix,
            maximumLength: configuration.maximumLength,
            exactTrimming: configuration.exactTrimming
        )
        let reply = try await client.send(command)
        guard let text = reply.string, let id = try? DeadLetterID(text) else {
            throw RedisClientError(.unexpectedReply, "XADD answered \(reply)")
        }
        return id
    }

    func reportBuffer() {
        let count = pendingCount
        pendingGauge.record(count)
        fallbackGauge.record(count > 0 ? 1 : 0)
    }

    /// Whether Redis refused this letter itself, so that writing it again can never succeed: a buffered letter
    /// so refused is dropped. Every other failure (``RedisFailureKind``: unreachable, out of memory, a
    /// misconfiguration, a closed client, a cancelled flush) concerns Redis or this process, and keeps it.
    static func refusesTheLetter(_ error: RedisClientError) -> Bool {
        switch error.failureKind {
        case .commandRejected, .scriptError: true
        case .unreachable, .authenticationFailed, .permissionDenied, .badDatabase, .outOfMemory, .clientClosed, .cancelled: false
        }
    }
}
