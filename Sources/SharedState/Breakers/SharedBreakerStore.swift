import RedisClient
import Resilience

/// The Redis side of shared circuit breakers: every read and every transition, each one atomic script.
///
/// ```swift
/// let store = SharedBreakerStore(client: client)
/// let snapshot = try await store.read(try BreakerName("payments"))
/// try await store.command(.isolate, breaker: try BreakerName("payments"))   // every instance obeys
/// ```
public struct SharedBreakerStore: Sendable {
    /// The channel on which every transition is published as `name generation state remaining_ms reason`:
    /// `PREFIX:breaker-events`, so that deployments with different prefixes on one Redis never hear each other.
    public var eventsChannel: String { prefix + ":breaker-events" }

    /// An operator's command.
    public enum Command: String, Sendable, CaseIterable {
        /// Force open: reject every call until closed or reset.
        case isolate
        /// Close, keeping nothing of the failure history.
        case close
        /// Back to a fresh closed state (same as close, named as operators expect).
        case reset
        /// Let every call through and never trip.
        case disable

        var target: CircuitBreakerState {
            switch self {
            case .isolate: .isolated
            case .close, .reset: .closed
            case .disable: .disabled
            }
        }
    }

    /// The client used.
    public let client: RedisClient
    /// The key prefix.
    public let prefix: String

    /// Creates a store over a client.
    /// - Parameters:
    ///   - client: The Redis client.
    ///   - prefix: The key prefix, `bulwark` by default.
    public init(client: RedisClient, prefix: String = "bulwark") {
        self.client = client
        self.prefix = prefix
    }

    /// Reads a breaker's state; a breaker never written reads as closed at generation 0.
    public func read(_ name: BreakerName) async throws(SharedStateError) -> SharedBreakerSnapshot {
        try await run(SharedBreakerScripts.read, name, ["-"])
    }

    /// Claims one of the half-open probe permits shared by the fleet, for half-open generation `generation`.
    /// - Returns: The snapshot; ``SharedBreakerSnapshot/claimedProbe`` says whether a permit was claimed.
    public func claimProbe(_ name: BreakerName, generation: UInt64) async throws(SharedStateError) -> SharedBreakerSnapshot {
        try await run(SharedBreakerScripts.read, name, [String(generation)])
    }

    /// Applies an operator's command, whatever the breaker's state; every instance hears of it.
    @discardableResult
    public func command(_ command: Command, breaker name: BreakerName) async throws(SharedStateError) -> SharedBreakerSnapshot {
        try await run(
            SharedBreakerScripts.transition,
            name,
            ["*", SharedBreakerSnapshot.name(of: command.target), "manual", "0", "0", "1", eventsChannel, name.value]
        )
    }

    /// Reports one instance's outcomes since its last report, and lets Redis decide a trip; the answer carries
    /// the failures the fleet can still take without a trip that holds for `headroomHorizonMilliseconds`.
    /// `newestSuccessAge` is how long ago the newest of the reported successes happened: under the consecutive
    /// rule they end the fleet's run of failures only if they came after the last failure Redis heard of.
    func record(
        _ name: BreakerName,
        instance: String,
        counts: CircuitBreakerOutcomeCounts,
        newestSuccessAge: Duration = .zero,
        totals: CircuitBreakerOutcomeCounts,
        localTrips: Bool,
        localState: CircuitBreakerState,
        probes: CircuitBreakerProbeOutcomes?,
        rules: SharedBreakerRules,
        opensSoFar: Int,
        retention: SharedBreakerRetention = SharedBreakerRetention(),
        headroomHorizonMilliseconds: Int = 0
    ) async throws(SharedStateError) -> SharedBreakerSnapshot {
        let configuration = rules.configuration
        return try await run(
            SharedBreakerScripts.record,
            name,
            [
                instance, String(counts.successes), String(counts.failures), rules.rule, rules.threshold,
                String(configuration.minimumThroughput), String(rules.windowMilliseconds),
                String(rules.breakMilliseconds(afterOpens: opensSoFar)), rules.scope.scriptName, String(rules.quorum),
                localTrips ? "1" : "0", eventsChannel, name.value, String(configuration.halfOpen.successThreshold),
                String(rules.halfOpenMaximumWaitMilliseconds), SharedBreakerSnapshot.name(of: localState), rules.fingerprint,
                "\(totals.successes) \(totals.failures) \(totals.rejections)",
                probes.map { String($0.generation) } ?? "-", String(probes?.successes ?? 0), String(probes?.failures ?? 0),
                String(retention.reportMilliseconds), String(retention.breakerMilliseconds), String(headroomHorizonMilliseconds),
                String(SharedBreakerRules.milliseconds(newestSuccessAge)),
            ]
        )
    }

    /// Proposes a transition that holds only if the breaker is still at `generation`.
    func propose(
        _ name: BreakerName,
        to target: CircuitBreakerState,
        reason: CircuitBreakerTransitionReason,
        generation: UInt64,
        rules: SharedBreakerRules,
        opensSoFar: Int
    ) async throws(SharedStateError) -> SharedBreakerSnapshot {
        let configuration = rules.configuration
        return try await run(
            SharedBreakerScripts.transition,
            name,
            [
                String(generation), SharedBreakerSnapshot.name(of: target), reason.rawValue,
                String(rules.breakMilliseconds(afterOpens: opensSoFar)), String(configuration.halfOpen.permittedCalls),
                String(rules.halfOpenMaximumWaitMilliseconds), eventsChannel, name.value,
            ]
        )
    }

    /// Re-seeds a breaker whose state Redis lost with a surviving instance's state and generation (see
    /// ``SharedBreakerScripts/seed``); returns what Redis holds afterwards.
    func seed(
        _ name: BreakerName,
        state: CircuitBreakerState,
        generation: UInt64,
        remainingBreak: Duration,
        rules: SharedBreakerRules,
        retention: SharedBreakerRetention
    ) async throws(SharedStateError) -> SharedBreakerSnapshot {
        try await run(
            SharedBreakerScripts.seed,
            name,
            [
                SharedBreakerSnapshot.name(of: state), String(generation), String(SharedBreakerRules.milliseconds(remainingBreak)),
                String(rules.configuration.halfOpen.permittedCalls), String(rules.halfOpenMaximumWaitMilliseconds), eventsChannel,
                name.value, String(retention.breakerMilliseconds),
            ]
        )
    }

    /// Every instance's latest report of a breaker: instance id → its local state, the counts of its last
    /// report, when it reported, and its totals since it started.
    public func instanceReports(_ name: BreakerName) async throws(SharedStateError) -> [String: SharedBreakerInstanceReport] {
        let reply: RedisValue
        do {
            reply = try await client.send("HGETALL", BreakerKeys(name, prefix: prefix).instances)
        } catch {
            throw SharedStateError(.storeUnavailable, "cannot read instance reports of '\(name)'", underlying: error)
        }
        var reports: [String: SharedBreakerInstanceReport] = [:]
        let parts = reply.array ?? []
        for index in stride(from: 0, to: parts.count - 1, by: 2) {
            guard let instance = parts[index].string, let text = parts[index + 1].string,
                let report = SharedBreakerInstanceReport(text)
            else { continue }
            reports[instance] = report
        }
        return reports
    }

    private func run(_ script: RedisScript, _ name: BreakerName, _ arguments: [String]) async throws(SharedStateError) -> SharedBreakerSnapshot {
        let reply: RedisValue
        do {
            reply = try await client.evaluate(script, keys: BreakerKeys(name, prefix: prefix).all, arguments: arguments)
        } catch {
            throw SharedStateError(.storeUnavailable, "shared breaker '\(name)' could not be reached in Redis: \(error.code)", underlying: error)
        }
        return try SharedBreakerSnapshot(reply: reply)
    }
}
