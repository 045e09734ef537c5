import Logging
import Metrics
import RedisClient

/// Idempotency keys shared by the fleet: each request runs once, every retry gets its one result.
///
/// A request's first arrival claims its key and gets a lease; duplicates that arrive while it runs get
/// ``IdempotencyClaim/inProgress(leaseRemaining:)`` (or wait for the result, if they ask); once the result
/// is stored every duplicate replays it; a key reused with another payload is a
/// ``IdempotencyClaim/mismatch``. Each transition is one Lua script (`IdempotencyScripts`) reading
/// Redis's clock, so two instances racing for one key cannot both win. Keys live under
/// `bulwark:idem:{scope}:key` and expire by themselves: in-progress records after the lease, completed ones
/// after the retention.
///
/// ```swift
/// let store = try IdempotencyStore(client: client)
/// let outcome = try await store.execute(
///     key: try IdempotencyKey(header),
///     scope: try IdempotencyScope(tenant),
///     fingerprint: IdempotencyFingerprint(digest: SHA256.hash(data: body))
/// ) {
///     try await charge(card, amount)    // runs once across every instance and retry
/// }
/// if let status = outcome.httpStatus { return Response(status: status) }   // 409 or 422
/// ```
///
/// ## When Redis is unreachable
/// The store fails closed: every call throws ``SharedStateError`` with code
/// ``SharedStateError/Code/storeUnavailable`` and ``execute(key:scope:fingerprint:wait:operation:)`` does
/// not run the operation. Exactly-once cannot be promised from local memory: another instance, or this
/// one before a restart, may already have run the request, and only Redis knows. Answer 503 so the client
/// retries later with the same key.
public struct IdempotencyStore: Sendable {
    /// The client used.
    public let client: RedisClient
    /// Lease, retention and waiting.
    public let configuration: IdempotencyConfiguration
    private let prefix: String
    private let logger: Logger
    private let outcomes = IdempotencyOutcomeCounters()

    /// Creates a store over a client.
    /// - Parameters:
    ///   - client: The Redis client.
    ///   - configuration: Lease, retention and waiting; the defaults are 30 s, 24 h and 10 s.
    ///   - prefix: The key prefix, `bulwark` by default.
    ///   - logger: Where lost leases and failed abandons are logged, at info.
    /// - Throws: ``SharedStateError/Code/invalidConfiguration`` naming the field out of range.
    public init(
        client: RedisClient,
        configuration: IdempotencyConfiguration = IdempotencyConfiguration(),
        prefix: String = "bulwark",
        logger: Logger = Logger(label: "bulwark.idempotency")
    ) throws(SharedStateError) {
        try configuration.validate()
        self.client = client
        self.configuration = configuration
        self.prefix = prefix
        self.logger = logger
    }

    /// Claims a key atomically for the request with `fingerprint`.
    ///
    /// - Returns: ``IdempotencyClaim/acquired(_:)`` with a lease when the key was free (the caller must then
    ///   ``complete(_:result:)`` or ``abandon(_:)``), ``IdempotencyClaim/inProgress(leaseRemaining:)`` while
    ///   another caller holds it, ``IdempotencyClaim/completed(_:)`` with the stored result, or
    ///   ``IdempotencyClaim/mismatch`` when the key belongs to a request with another fingerprint.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis cannot be reached.
    public func claim(
        key: IdempotencyKey,
        scope: IdempotencyScope,
        fingerprint: IdempotencyFingerprint
    ) async throws(SharedStateError) -> IdempotencyClaim {
        let token = Self.newToken()
        let reply = try await run(
            IdempotencyScripts.claim,
            key,
            scope,
            [Array(fingerprint.value.utf8), Array(token.utf8), Array(String(Self.milliseconds(configuration.leaseDuration)).utf8)]
        )
        let parts = reply.array ?? []
        switch parts.first?.string ?? "" {
        case "acquired" where parts.count == 1:
            outcomes.executed.increment()
            return .acquired(IdempotencyLease(key: key, scope: scope, fingerprint: fingerprint, token: token))
        case "running" where parts.count == 2:
            outcomes.conflicts.increment()
            return .inProgress(leaseRemaining: .milliseconds(max(parts[1].int ?? 0, 0)))
        case "done" where parts.count == 2:
            outcomes.replays.increment()
            return .completed(parts[1].bytes ?? [])
        case "mismatch" where parts.count == 1:
            outcomes.mismatches.increment()
            return .mismatch
        default:
            throw SharedStateError(.unexpectedReply, "idempotency claim of '\(key)' answered \(reply)")
        }
    }

    /// Stores the result of a leased request, if the lease is still this caller's.
    ///
    /// A caller whose lease expired — and whose key another caller may have claimed since — cannot
    /// overwrite anything: the call returns `false` and changes nothing.
    /// - Returns: Whether the result was stored; it is then replayed for ``IdempotencyConfiguration/retention``.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis cannot be reached.
    @discardableResult
    public func complete(_ lease: IdempotencyLease, result: [UInt8]) async throws(SharedStateError) -> Bool {
        let retention = Array(String(Self.milliseconds(configuration.retention)).utf8)
        let reply = try await run(IdempotencyScripts.complete, lease.key, lease.scope, [Array(lease.token.utf8), result, retention])
        return try Self.flag(reply, "complete", lease.key)
    }

    /// Extends a lease by ``IdempotencyConfiguration/leaseDuration`` from now, if it is still this caller's:
    /// for callers of ``claim(key:scope:fingerprint:)`` whose work may outlast the lease
    /// (``execute(key:scope:fingerprint:wait:operation:)`` renews by itself).
    /// - Returns: Whether the lease was still this caller's and is now extended.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis cannot be reached.
    @discardableResult
    public func renew(_ lease: IdempotencyLease) async throws(SharedStateError) -> Bool {
        let duration = Array(String(Self.milliseconds(configuration.leaseDuration)).utf8)
        let reply = try await run(IdempotencyScripts.renew, lease.key, lease.scope, [Array(lease.token.utf8), duration])
        return try Self.flag(reply, "renew", lease.key)
    }

    /// Releases a lease without a result, so that the key can be claimed again right away (after the
    /// request failed in a way worth retrying).
    /// - Returns: Whether the lease was still this caller's and is now released.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis cannot be reached.
    @discardableResult
    public func abandon(_ lease: IdempotencyLease) async throws(SharedStateError) -> Bool {
        let reply = try await run(IdempotencyScripts.abandon, lease.key, lease.scope, [Array(lease.token.utf8)])
        return try Self.flag(reply, "abandon", lease.key)
    }

    /// Runs `operation` once for the key across the fleet, or replays the result of the run that did.
    ///
    /// Claims the key; if acquired, runs `operation`, stores its result and returns
    /// ``IdempotencyOutcome/executed(_:)``; if `operation` throws, abandons the lease (so that a retry may
    /// run it) and rethrows. A completed key returns ``IdempotencyOutcome/replayed(_:)`` without running
    /// anything. A key in progress returns ``IdempotencyOutcome/inProgress`` — or, when `wait` is true,
    /// polls (``IdempotencyConfiguration/Wait``) until the result is stored, the lease is released or expires
    /// (then this caller claims it and runs `operation`), or the wait times out.
    ///
    /// While `operation` runs, its lease is renewed every third of ``IdempotencyConfiguration/leaseDuration``, so
    /// an operation longer than the lease keeps its key. Should the lease still be lost (Redis unreachable for
    /// longer than the lease, or the key deleted by an operator), the result cannot be stored: the outcome is
    /// still ``IdempotencyOutcome/executed(_:)`` for this caller, and the loss is logged.
    /// - Parameters:
    ///   - key: The client's idempotency key.
    ///   - scope: The tenant or user the key belongs to.
    ///   - fingerprint: What identifies the request's payload.
    ///   - wait: Whether to wait for a result another caller is producing.
    ///   - operation: The request's work; its result is what duplicates replay.
    /// - Throws: What `operation` threw; ``SharedStateError/Code/storeUnavailable`` when Redis cannot be
    ///   reached (then `operation` did not run, or ran and its result could not be stored); `CancellationError`
    ///   when cancelled while waiting.
    public func execute(
        key: IdempotencyKey,
        scope: IdempotencyScope,
        fingerprint: IdempotencyFingerprint,
        wait: Bool = false,
        operation: () async throws -> [UInt8]
    ) async throws -> IdempotencyOutcome {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: configuration.wait.timeout)
        var pause = configuration.wait.initialPoll
        while true {
            switch try await claim(key: key, scope: scope, fingerprint: fingerprint) {
            case .acquired(let lease):
                return try await run(lease, operation)
            case .completed(let result):
                return .replayed(result)
            case .mismatch:
                return .mismatch
            case .inProgress(let leaseRemaining):
                let now = clock.now
                guard wait, now < deadline else { return .inProgress }
                let nap = min(pause, now.duration(to: deadline), max(leaseRemaining, .milliseconds(1)))
                try await Task.sleep(for: nap)
                pause = min(pause * 2, configuration.wait.maximumPoll)
            }
        }
    }

    /// Reads a key's record, for operators.
    /// - Returns: The record, or `nil` when the key is free.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis cannot be reached.
    public func show(key: IdempotencyKey, scope: IdempotencyScope) async throws(SharedStateError) -> IdempotencyRecord? {
        let reply = try await run(IdempotencyScripts.inspect, key, scope, [[UInt8]]())
        if reply.isNull { return nil }
        guard let parts = reply.array, parts.count == 6,
            let state = parts[0].string.flatMap(IdempotencyRecord.State.init(rawValue:)),
            let fingerprint = parts[1].string,
            let claimedAt = parts[2].int,
            let ttl = parts[4].int
        else {
            throw SharedStateError(.unexpectedReply, "idempotency record of '\(key)' reads \(reply)")
        }
        return IdempotencyRecord(
            state: state,
            fingerprint: fingerprint,
            claimedAt: Int64(claimedAt),
            completedAt: parts[3].int.map { Int64($0) },
            expiresIn: .milliseconds(max(ttl, 0)),
            result: state == .completed ? parts[5].bytes ?? [] : nil
        )
    }

    /// Deletes a key's record, in progress or completed, so that the next request with it runs again.
    /// - Returns: Whether there was a record.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis cannot be reached.
    @discardableResult
    public func delete(key: IdempotencyKey, scope: IdempotencyScope) async throws(SharedStateError) -> Bool {
        do {
            return try await client.send("DEL", redisKey(key, scope)).int == 1
        } catch {
            throw SharedStateError(.storeUnavailable, "idempotency key '\(key)' could not be deleted: \(error.code)", underlying: error)
        }
    }

    private func run(_ lease: IdempotencyLease, _ operation: () async throws -> [UInt8]) async throws -> IdempotencyOutcome {
        let result: [UInt8]
        do {
            result = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await keepRenewing(lease) }
                defer { group.cancelAll() }
                return try await operation()
            }
        } catch {
            do {
                try await abandon(lease)
            } catch let abandonError {
                logger.info(
                    "could not abandon the lease of a failed operation; it frees itself when it expires",
                    metadata: ["idempotency.key": "\(lease.key)", "idempotency.scope": "\(lease.scope)", "error": "\(abandonError)"]
                )
            }
            throw error
        }
        let stored = try await complete(lease, result: result)
        if !stored {
            logger.info(
                "the operation outlived its lease; its result was not stored",
                metadata: ["idempotency.key": "\(lease.key)", "idempotency.scope": "\(lease.scope)"]
            )
        }
        return .executed(result)
    }

    /// Renews `lease` every third of its duration until cancelled, or until it turns out lost.
    private func keepRenewing(_ lease: IdempotencyLease) async {
        while true {
            do {
                try await Task.sleep(for: configuration.leaseDuration / 3)
            } catch {
                return
            }
            do {
                if try await renew(lease) { continue }
                logger.info(
                    "the lease of a running operation was lost; its result will not be stored",
                    metadata: ["idempotency.key": "\(lease.key)", "idempotency.scope": "\(lease.scope)"]
                )
                return
            } catch {
                logger.debug(
                    "the lease of a running operation could not be renewed",
                    metadata: ["idempotency.key": "\(lease.key)", "redis.error": "\(error)"]
                )
            }
        }
    }

    private func redisKey(_ key: IdempotencyKey, _ scope: IdempotencyScope) -> String {
        "\(prefix):idem:{\(scope.value)}:\(key.value)"
    }

    private func run(
        _ script: RedisScript,
        _ key: IdempotencyKey,
        _ scope: IdempotencyScope,
        _ arguments: [[UInt8]]
    ) async throws(SharedStateError) -> RedisValue {
        do {
            return try await client.evaluate(script, keys: [redisKey(key, scope)], arguments: arguments)
        } catch {
            throw SharedStateError(.storeUnavailable, "idempotency key '\(key)' could not be reached in Redis: \(error.code)", underlying: error)
        }
    }

    private static func flag(_ reply: RedisValue, _ operation: String, _ key: IdempotencyKey) throws(SharedStateError) -> Bool {
        switch reply.int {
        case 1: return true
        case 0: return false
        default: throw SharedStateError(.unexpectedReply, "idempotency \(operation) of '\(key)' answered \(reply)")
        }
    }

    /// 128 random bits in hex, from the system's secure generator.
    private static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let text = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }.joined()
    }

    /// Whole milliseconds, rounded up so that a positive duration never becomes 0.
    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }
}
