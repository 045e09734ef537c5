import Foundation
import Resilience

/// What the fleet knows of a breaker's configuration, stored in Redis by every instance that uses it, so
/// that the dashboard and the command line can list breakers without asking any instance.
public struct SharedBreakerDescriptor: Codable, Sendable, Hashable {
    /// `shared`, `quorum(K)` or `local`.
    public var scope: String
    /// `consecutive` or `ratio`.
    public var rule: String
    /// Failures in a row, or the failure ratio, that trips.
    public var threshold: Double
    /// The fewest calls before a ratio may trip.
    public var minimumThroughput: Int
    /// The window the ratio is measured over, in milliseconds.
    public var windowMilliseconds: Int
    /// The first break, in milliseconds.
    public var breakMilliseconds: Int
    /// Probe calls allowed in half-open, fleet-wide.
    public var halfOpenPermits: Int
    /// Successful probes needed to close.
    public var halfOpenSuccesses: Int

    init(rules: SharedBreakerRules) {
        let configuration = rules.configuration
        scope = rules.scope.description
        rule = rules.rule
        threshold = Double(rules.threshold) ?? 0
        minimumThroughput = configuration.minimumThroughput
        windowMilliseconds = rules.windowMilliseconds
        breakMilliseconds = rules.breakMilliseconds(afterOpens: 0)
        halfOpenPermits = configuration.halfOpen.permittedCalls
        halfOpenSuccesses = configuration.halfOpen.successThreshold
    }

    /// The descriptor as compact JSON with sorted keys.
    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Decodes a descriptor stored as its compact JSON; `nil` for anything else.
    public init?(json: String) {
        guard let decoded = try? JSONDecoder().decode(Self.self, from: Data(json.utf8)) else { return nil }
        self = decoded
    }
}
