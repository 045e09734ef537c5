import Foundation
import SharedState

/// What `GET /health` answers: the overall status, the degradation level, each dependency with its latency,
/// and what each store does right now.
public struct HealthReport: Sendable, Encodable {
    /// One dependency's check.
    public struct Dependency: Sendable, Encodable {
        /// `up` or `down` (`degraded` for memory above its limit).
        public var status: String
        /// How long the check took, in milliseconds (Redis: a `PING` round trip).
        public var latencyMilliseconds: Double?
        /// What was measured, e.g. free megabytes.
        public var detail: String?
    }

    /// One store's mode.
    public struct Store: Sendable, Encodable {
        /// `shared` (in Redis), `local-fallback`, `fail-closed` (refusing while Redis is away),
        /// `stale-and-local` (cache answering from its in-process copies), `local-buffer` (dead letters kept
        /// in memory until Redis returns) or `local-share` (fleet-wide rate limits enforced by each instance at
        /// limit ÷ live instances).
        public var mode: String
        /// Items waiting locally, where the store buffers.
        public var pending: Int?
    }

    /// Counts of this instance's breakers by condition.
    public struct BreakerCounts: Sendable, Encodable {
        /// Breakers (disabled ones excluded).
        public var total: Int
        /// Open or forced open.
        public var open: Int
        /// Half-open.
        public var halfOpen: Int
    }

    /// healthy, degraded or unhealthy.
    public var status: HealthStatus
    /// Why Redis refuses this instance, when it answers but refuses: `redis_auth_failed`,
    /// `redis_permission_denied`, `redis_bad_database` (unhealthy), `redis_out_of_memory`,
    /// `redis_script_error`, `redis_command_rejected` (degraded); absent otherwise.
    public var reason: String?
    /// NORMAL … CRITICAL.
    public var degradation: DegradationLevel
    /// This instance's id.
    public var instance: String
    /// `shared` or `fallback`.
    public var sharedState: String
    /// When the report was made.
    public var checkedAt: Date
    /// `redis`, `disk`, `memory`.
    public var dependencies: [String: Dependency]
    /// `breakers`, `cache`, `idempotency`, `sessions`, `deadLetters`.
    public var stores: [String: Store]
    /// This instance's breakers.
    public var breakers: BreakerCounts
    /// This instance's kill switches.
    public var switches: Switches

    /// This instance's kill switches: whether they follow the fleet, and each pipeline's switched-off policies.
    public struct Switches: Sendable, Encodable {
        /// `shared` (kept in step with Redis) or `local` (Redis unreachable: this instance's own).
        public var mode: String
        /// Every pipeline of this instance, with its switched-off policies.
        public var pipelines: [PolicySwitchState]
    }
}
