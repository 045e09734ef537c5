import Foundation
import Resilience
import SharedState

/// One shared breaker as `bulwark breaker list` and `show` print it.
struct BreakerView: Encodable, Sendable {
    /// The breaker's name.
    let name: String
    /// The shared state: `closed`, `open`, `half-open`, `isolated` or `disabled`.
    let state: String
    /// Grows by one with every transition.
    let generation: UInt64
    /// `shared`, `quorum(K)` or `local`.
    let scope: String
    /// `consecutive` or `ratio`.
    let rule: String
    /// The failures in a row, or the failure ratio, that trip it.
    let threshold: Double
    /// When it opened (open or isolated).
    let openedAt: Date?
    /// When the break ends (open).
    let openUntil: Date?
    /// Opens in a row without a successful close.
    let consecutiveOpens: Int
    /// The configuration every instance registered.
    let configuration: SharedBreakerDescriptor
    /// What each instance last reported, by instance id.
    let instances: [BreakerInstanceView]

    /// Reads a breaker's shared state and its instances' reports.
    static func read(
        _ name: BreakerName,
        descriptor: SharedBreakerDescriptor,
        live: Set<String>,
        in context: OperatorContext
    ) async throws -> BreakerView {
        let snapshot = try await context.breakers.read(name)
        let reports = try await context.breakers.instanceReports(name)
        return BreakerView(
            name: name.value,
            state: snapshot.state.description,
            generation: snapshot.generation,
            scope: descriptor.scope,
            rule: descriptor.rule,
            threshold: descriptor.threshold,
            openedAt: snapshot.openedAtMilliseconds > 0 ? HumanFormat.date(milliseconds: snapshot.openedAtMilliseconds) : nil,
            openUntil: snapshot.state == .open ? HumanFormat.date(milliseconds: snapshot.openUntilMilliseconds) : nil,
            consecutiveOpens: snapshot.consecutiveOpens,
            configuration: descriptor,
            instances: reports.sorted { $0.key < $1.key }.map { BreakerInstanceView(id: $0.key, report: $0.value, live: live.contains($0.key)) }
        )
    }
}

/// One instance's latest report of a breaker.
struct BreakerInstanceView: Encodable, Sendable {
    /// The instance's id.
    let id: String
    /// The state of the instance's local view.
    let state: String
    /// Whether the instance's heartbeat is current.
    let live: Bool
    /// When it reported, by Redis's clock.
    let reportedAt: Date
    /// Successes in its last report.
    let successes: UInt64
    /// Failures in its last report.
    let failures: UInt64
    /// Its outcomes since it started.
    let totals: Totals

    /// Outcomes since the instance started.
    struct Totals: Encodable, Sendable {
        let successes: UInt64
        let failures: UInt64
        let rejections: UInt64
    }

    init(id: String, report: SharedBreakerInstanceReport, live: Bool) {
        self.id = id
        state = report.localState.description
        self.live = live
        reportedAt = HumanFormat.date(milliseconds: report.reportedAtMilliseconds)
        successes = report.successes
        failures = report.failures
        totals = Totals(successes: report.totals.successes, failures: report.totals.failures, rejections: report.totals.rejections)
    }
}
