import Logging
import Metrics
import RedisClient
import Resilience
import Synchronization

/// How a store call ended, as far as the fallback is concerned.
enum StoreCallOutcome<T: Sendable>: Sendable {
    /// Redis answered.
    case answered(T)
    /// Redis answered with a refusal (misconfiguration, `OOM`, a script error): reachable, but no result.
    case refused
    /// Redis is unreachable, the guard around it is open, or the call was cancelled: no result.
    case notAnswered
}

extension SharedBreakerRegistry {
    /// Whether Redis answers but refuses this instance's calls right now (wrong password, missing ACL
    /// permission, refused database, `OOM`, script errors), and what it said; `nil` when it does not.
    ///
    /// A refusal never puts breakers on the local fallback: Redis is there, and a fallback would not fix it.
    public var redisRefusal: SharedStateRefusal? { refusals.current }

    /// Runs a store call through the breaker around Redis; `nil` means the call did not happen or failed.
    ///
    /// Only an unreachable Redis (``RedisFailureKind/isUnreachable``) opens that breaker, which puts the
    /// registry on the fallback. A refusal is reported (``reportRefusal(_:)``) and counts as an answer: a
    /// Redis at `maxmemory`, or one that refuses our password, is not made to look like an outage.
    /// - Parameter provesWritable: The call writes: its success ends a misconfiguration or `OOM` refusal,
    ///   and its answer (even a refusal) ends the fallback.
    func guarded<T: Sendable>(provesWritable: Bool = false, _ call: (SharedBreakerStore) async throws -> T) async -> T? {
        switch await guardedOutcome(call) {
        case .answered(let value):
            if provesWritable { await writeAnswered(succeeded: true) }
            return value
        case .refused:
            if provesWritable { await writeAnswered(succeeded: false) }
            return nil
        case .notAnswered:
            return nil
        }
    }

    private func guardedOutcome<T: Sendable>(_ call: (SharedBreakerStore) async throws -> T) async -> StoreCallOutcome<T> {
        do {
            return try await redisGuard.execute {
                do {
                    return .answered(try await call(store))
                } catch {
                    // Only an unreachable Redis fails the guard; anything else is an answer from Redis.
                    guard let kind = Self.failureKind(of: error), !kind.isUnreachable else { throw error }
                    // A cancelled call, or a client shut down, says nothing about Redis.
                    if kind == .cancelled || kind == .clientClosed { return .notAnswered }
                    reportRefusal(error, kind: kind)
                    return .refused
                }
            }
        } catch let error as ResilienceError where error.code == .breakerOpen {
            // Rejected by the open guard: already on the fallback.
            return .notAnswered
        } catch {
            enterFallback(reason: Self.failureCode(of: error))
            return .notAnswered
        }
    }

    /// What a failed store call means; `nil` for errors that carry no Redis error (a malformed reply is
    /// reported as ``RedisFailureKind/commandRejected``).
    private static func failureKind(of error: any Error) -> RedisFailureKind? {
        if let redis = redisError(of: error) { return redis.failureKind }
        if let shared = error as? SharedStateError, shared.code == .unexpectedReply { return .commandRejected }
        return nil
    }

    private static func redisError(of error: any Error) -> RedisClientError? {
        (error as? RedisClientError) ?? ((error as? SharedStateError)?.underlying as? RedisClientError)
    }

    private static func failureCode(of error: any Error) -> String {
        if let redis = redisError(of: error) { return redis.code.description }
        return (error as? SharedStateError)?.code.description ?? "\(type(of: error))"
    }

    /// Counts a refusal, makes it the status, and logs it once (at `error`, with Redis's own message).
    private func reportRefusal(_ error: any Error, kind: RedisFailureKind) {
        let redis = Self.redisError(of: error)
        let message = redis?.serverError?.message ?? redis?.message ?? "\(error)"
        refusalCounter(kind).increment()
        guard refusals.record(kind, message: message) else { return }
        refusedGauge.record(1)
        logger.error(
            "Redis refuses this instance's shared-state calls; breakers stay shared (no local fallback) until it is fixed",
            metadata: ["redis.refusal": "\(kind)", "redis.message": "\(message)"]
        )
    }

    private func refusalCounter(_ kind: RedisFailureKind) -> Counter {
        Counter(label: "bulwark_shared_state_refusals_total", dimensions: [("store", "breakers"), ("kind", kind.rawValue)])
    }

    /// A write reached Redis: it is reachable (leave the fallback); if it succeeded, a misconfiguration or
    /// `OOM` refusal is over.
    private func writeAnswered(succeeded: Bool) async {
        if succeeded {
            let ended = refusals.writeSucceeded()
            if !ended.isEmpty {
                if refusals.current == nil { refusedGauge.record(0) }
                logger.info("Redis accepts this instance's writes again", metadata: ["redis.refusal": "\(ended.map(\.kind))"])
            }
        }
        await leaveFallback()
    }

    /// Switches every breaker to local decisions; logs once per outage.
    func enterFallback(reason: String) {
        fallbackReason.withLock { $0 = reason }
        guard fallback.set(true) else { return }
        fallbackGauge.record(1)
        logger.warning("Redis unreachable: breakers decide locally until it is back", metadata: ["redis.error": "\(reason)"])
        for entry in entries.withLock({ Array($0.values) }) {
            entry.breaker.authorityDidBecomeUnavailable()
        }
        releaseWaitingFailures()
    }

    /// Probes Redis while on the fallback with a write (the heartbeat): a `PING` answers even while
    /// writes are refused, so it cannot tell that shared state works again.
    func probeRecovery() async {
        guard fallback.isOn else { return }
        await heartbeat()
    }

    /// The pub/sub connection broke: ask Redis at once, with a write through the guard, instead of waiting
    /// for the next flush. A stopped Redis refuses the write at once and the fallback takes over within a
    /// round trip; a subscriber connection killed alone leaves everything as it was.
    func checkReachability() async {
        guard !fallback.isOn else { return }
        await heartbeat()
    }

    /// Leaves the fallback: merges every breaker's views and flushes what was counted meanwhile.
    private func leaveFallback() async {
        guard fallback.set(false) else { return }
        fallbackGauge.record(0)
        logger.info("Redis is back: breakers are shared again")
        for name in entries.withLock({ Array($0.keys) }) {
            // Synchronizing merges (the more conservative state wins) and re-delegates; the flush then
            // brings the counts kept during the outage.
            await perform(.synchronize(name))
            if let entry = entry(name) { await flush(name, entry) }
        }
    }
}
