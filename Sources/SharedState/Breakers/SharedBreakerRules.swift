import Resilience

/// A breaker configuration as the Redis scripts read it.
///
/// A pooled window is always time-based in Redis (1 s buckets at the finest): a count window of the local
/// configuration is pooled over ``pooledWindowForCountWindows`` instead, since "the last N calls" has no
/// order across instances.
struct SharedBreakerRules: Sendable {
    /// How long a count-based window is pooled over.
    static let pooledWindowForCountWindows: Duration = .seconds(60)

    let scope: BreakerScope
    let configuration: CircuitBreakerConfiguration

    var rule: String { configuration.failureThreshold.consecutiveFailures != nil ? "consecutive" : "ratio" }

    var threshold: String {
        if let count = configuration.failureThreshold.consecutiveFailures { return String(count) }
        return String(configuration.failureThreshold.failureRatio ?? 0.5)
    }

    var windowMilliseconds: Int {
        Self.milliseconds(configuration.window.duration ?? Self.pooledWindowForCountWindows)
    }

    var quorum: Int {
        if case .quorum(let instances) = scope { return instances }
        return 1
    }

    /// The break for the next open, given how many opens in a row came before it.
    func breakMilliseconds(afterOpens opens: Int) -> Int {
        Self.milliseconds(configuration.breakDuration.duration(forOpen: opens + 1))
    }

    var halfOpenMaximumWaitMilliseconds: Int { Self.milliseconds(configuration.halfOpen.maximumWait) }

    /// A short fingerprint of the configuration (FNV-1a of the descriptor), stored with the state so that
    /// instances running different configurations of one breaker can be spotted.
    var fingerprint: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in SharedBreakerDescriptor(rules: self).json.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1_000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
