import RedisClient
import SharedState

/// Why Redis refuses this instance, as `/health` and `/health/ready` name it: from the registry's refusal
/// (what its own calls met) or from the health check's `PING`.
struct RedisRefusalReason: Sendable, Equatable {
    /// `redis_auth_failed`, `redis_permission_denied`, `redis_bad_database`, `redis_out_of_memory`,
    /// `redis_script_error` or `redis_command_rejected`.
    let code: String
    /// Redis's own error reply.
    let message: String
    /// Whether an operator must fix the configuration: the instance is unhealthy and not ready.
    let isMisconfiguration: Bool

    /// The refusal to report, or `nil` when Redis accepts us (or is simply unreachable). A refused `PING`
    /// wins: it is the freshest, and it is what a fixed password changes first.
    init?(registry: SharedStateRefusal?, ping: RedisClientError?) {
        if let ping, !ping.failureKind.isUnreachable, let code = Self.code(of: ping.failureKind) {
            self.init(code: code, message: ping.serverError?.message ?? ping.message, isMisconfiguration: ping.failureKind.isMisconfiguration)
        } else if let registry, let code = Self.code(of: registry.kind) {
            self.init(code: code, message: registry.message, isMisconfiguration: registry.kind.isMisconfiguration)
        } else {
            return nil
        }
    }

    private init(code: String, message: String, isMisconfiguration: Bool) {
        self.code = code
        self.message = message
        self.isMisconfiguration = isMisconfiguration
    }

    private static func code(of kind: RedisFailureKind) -> String? {
        switch kind {
        case .authenticationFailed: "redis_auth_failed"
        case .permissionDenied: "redis_permission_denied"
        case .badDatabase: "redis_bad_database"
        case .outOfMemory: "redis_out_of_memory"
        case .scriptError: "redis_script_error"
        case .commandRejected: "redis_command_rejected"
        case .unreachable, .clientClosed, .cancelled: nil
        }
    }
}
