import Foundation
import Logging
import Resilience
import SharedState

/// Builds the fleet's view of its breakers from Redis: every registered breaker × every live instance's
/// latest report, with the shared state and rates, worst first.
///
/// One overview serves the API and the dashboard feed, so that rates come from one history. It reads Redis once
/// at a time for the whole process: callers that arrive while a read is under way share the next read, so every
/// caller gets a view read after it asked, and a burst of API requests or dashboards costs one read at a time.
actor BreakerOverview {
    /// The most invalid index entries remembered as already logged.
    static let loggedInvalidLimit = 1_000

    private let components: ServiceComponents
    private let logger: Logger
    private var rates = BreakerRates()
    /// Index entries that are not valid names and were logged once already.
    private var loggedInvalid: Set<String> = []

    init(components: ServiceComponents, logger: Logger) {
        self.components = components
        self.logger = logger
    }

    /// The read under way (or just finished) and the first arrival it does not answer.
    private var read: (task: Task<Result<BreakerList, APIError>, Never>, answersBefore: UInt64)?
    /// Callers so far: each gets a number, and a read answers the callers numbered before it started.
    private var arrivals: UInt64 = 0
    /// Reads of Redis so far (for tests: how many reads a burst of callers cost).
    private(set) var reads = 0

    /// The current view, read from Redis after this call began (shared with the callers waiting with it).
    /// - Throws: ``APIError`` (503) when Redis cannot be read.
    func list() async throws(APIError) -> BreakerList {
        let ticket = arrivals
        arrivals += 1
        while true {
            if let read, read.answersBefore > ticket { return try await read.task.value.get() }
            if let current = read {
                // Started before this call: its answer may predate what the caller just did. Wait, then read anew.
                _ = await current.task.value
                if read?.task == current.task { read = nil }
                continue
            }
            let task = Task { await self.readResult() }
            read = (task, arrivals)
            let result = await task.value
            if read?.task == task { read = nil }
            return try result.get()
        }
    }

    private func readResult() async -> Result<BreakerList, APIError> {
        do throws(APIError) {
            return .success(try await readFromRedis())
        } catch {
            return .failure(error)
        }
    }

    private func readFromRedis() async throws(APIError) -> BreakerList {
        reads += 1
        let client = components.client
        let directory = components.directory
        let store = components.breakers.store
        let registered: [String: SharedBreakerDescriptor]
        let live: [String]
        var views: [BreakerView] = []
        do {
            registered = try await directory.breakers(client: client)
            live = try await directory.liveInstances(client: client).sorted()
            for (name, descriptor) in registered {
                // Another tool or version may have written an entry that is no valid name: skip it, not the overview.
                guard let breaker = try? BreakerName(name) else {
                    skipInvalid(name)
                    continue
                }
                let snapshot = try await store.read(breaker)
                let reports = try await store.instanceReports(breaker).filter { live.contains($0.key) }
                views.append(view(name: name, descriptor: descriptor, snapshot: snapshot, reports: reports))
            }
        } catch {
            throw APIError(.unavailable, "the breaker overview cannot be read: Redis is unreachable", underlying: error)
        }
        rates.retain(breakers: Set(views.map(\.name)), instances: Set(live))
        return BreakerList(
            instance: components.instanceID,
            sharedState: FleetStatus(components.breakers.status),
            liveInstances: live,
            refreshedAt: Date(),
            breakers: views.sorted(by: BreakerView.worseFirst)
        )
    }

    /// Logs an invalid index entry the first time it is seen (the log handler escapes it).
    private func skipInvalid(_ name: String) {
        guard loggedInvalid.count < Self.loggedInvalidLimit, loggedInvalid.insert(name).inserted else { return }
        logger.warning(
            "the breaker index holds an entry that is not a valid breaker name; the overview skips it",
            metadata: ["breaker.entry": "\(name)"]
        )
    }

    private func view(
        name: String,
        descriptor: SharedBreakerDescriptor,
        snapshot: SharedBreakerSnapshot,
        reports: [String: SharedBreakerInstanceReport]
    ) -> BreakerView {
        let now = snapshot.redisNowMilliseconds
        var calls = 0.0
        var failures = 0.0
        var callsPerSecond = 0.0
        var rejectedPerSecond = 0.0
        var instances: [BreakerInstanceView] = []
        for (id, report) in reports.sorted(by: { $0.key < $1.key }) {
            let change = rates.record(breaker: name, instance: id, totals: report.totals, now: now)
            calls += change.successes + change.failures
            failures += change.failures
            callsPerSecond += change.callsPerSecond
            rejectedPerSecond += change.rejectedPerSecond
            instances.append(
                BreakerInstanceView(
                    id: id,
                    state: report.localState.description,
                    reportedAgoMilliseconds: max(0, now - report.reportedAtMilliseconds),
                    callsPerSecond: change.callsPerSecond,
                    failureRatio: change.failureRatio,
                    rejectedTotal: report.totals.rejections
                )
            )
        }
        var state = snapshot.state
        if descriptor.scope == "local" {
            // A local breaker has no shared state: the most conservative instance speaks for it.
            state = reports.values.map(\.localState).max { $0.conservativeness < $1.conservativeness } ?? .closed
        }
        let seen = reports.mapValues(\.localState)
        let failureRatio = calls > 0 ? failures / calls : nil
        return BreakerView(
            name: name,
            state: state.description,
            severity: Self.severity(of: state, failureRatio: failureRatio, seen: Array(seen.values)),
            generation: snapshot.generation,
            openRemainingMilliseconds: state == .open ? Int64(snapshot.remainingBreak / .milliseconds(1)) : nil,
            failureRatio: failureRatio,
            callsPerSecond: callsPerSecond,
            rejectedPerSecond: rejectedPerSecond,
            rejectedTotal: reports.values.reduce(0) { $0 + $1.totals.rejections },
            instancesOpen: seen.filter { $0.value.rejectsCalls }.keys.sorted(),
            instancesHalfOpen: seen.filter { $0.value == .halfOpen }.keys.sorted(),
            instancesClosed: seen.filter { $0.value == .closed || $0.value == .disabled }.keys.sorted(),
            instances: instances,
            configuration: descriptor
        )
    }

    /// 5 forced open, 4 open, 3 half-open, 2 closed but some instance still sees it open or half-open,
    /// 1 closed and failing, 0 closed and healthy or disabled.
    static func severity(of state: CircuitBreakerState, failureRatio: Double?, seen: [CircuitBreakerState]) -> Int {
        switch state {
        case .isolated: 5
        case .open: 4
        case .halfOpen: 3
        case .disabled: 0
        case .closed:
            if seen.contains(where: { $0 != .closed && $0 != .disabled }) {
                2
            } else {
                (failureRatio ?? 0) > 0 ? 1 : 0
            }
        }
    }
}
