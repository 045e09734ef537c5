/// How a ``SharedBreakerRegistry`` talks to Redis and how often.
public struct SharedBreakerOptions: Sendable {
    /// This instance's id, unique in the fleet; a random one by default.
    public var instanceID: String
    /// How often outcome counts are flushed to Redis while nothing urgent happens. Failures flush at once.
    public var flushInterval: Duration
    /// While on the fallback, how often Redis is probed to come back.
    public var recoveryProbeInterval: Duration
    /// How often the instance renews its heartbeat.
    public var heartbeatInterval: Duration
    /// How long a heartbeat keeps an instance listed as alive.
    public var instanceTimeToLive: Duration
    /// The key prefix, `bulwark` by default.
    public var keyPrefix: String

    /// Creates options; every parameter has a default.
    public init(
        instanceID: String = SharedBreakerOptions.randomInstanceID(),
        flushInterval: Duration = .milliseconds(250),
        recoveryProbeInterval: Duration = .milliseconds(100),
        heartbeatInterval: Duration = .seconds(2),
        instanceTimeToLive: Duration = .seconds(10),
        keyPrefix: String = "bulwark"
    ) {
        self.instanceID = instanceID
        self.flushInterval = flushInterval
        self.recoveryProbeInterval = recoveryProbeInterval
        self.heartbeatInterval = heartbeatInterval
        self.instanceTimeToLive = instanceTimeToLive
        self.keyPrefix = keyPrefix
    }

    /// A random id of 12 hex digits.
    public static func randomInstanceID() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() & 0xFFFF_FFFF_FFFF
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 12 - hex.count) + hex
    }

    /// Checks every field, naming the first one out of range.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidConfiguration``.
    public func validate() throws(SharedStateError) {
        func fail(_ message: String) -> SharedStateError { SharedStateError(.invalidConfiguration, message) }
        guard !instanceID.isEmpty, instanceID.utf8.count <= 64, !instanceID.contains(" ") else {
            throw fail("instanceID must be 1 to 64 characters without spaces")
        }
        guard flushInterval > .zero else { throw fail("flushInterval must be positive") }
        guard recoveryProbeInterval > .zero else { throw fail("recoveryProbeInterval must be positive") }
        guard heartbeatInterval > .zero, instanceTimeToLive > heartbeatInterval else {
            throw fail("instanceTimeToLive must be longer than heartbeatInterval")
        }
    }
}
