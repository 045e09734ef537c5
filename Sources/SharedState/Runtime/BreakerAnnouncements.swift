/// When a registry's heartbeat names its breakers in the breaker index: not at every heartbeat, whose cost
/// would then grow with the breakers, but when they changed and every few heartbeats.
struct BreakerAnnouncements {
    /// The number of breakers last named; the registry only ever adds breakers, so a change is a new count.
    private var namedCount = -1
    /// Heartbeats since the breakers were last named.
    private var sinceNamed = 0

    /// How many heartbeats may pass without naming the breakers: 30 (a minute at the default 2 s), fewer when
    /// the breaker retention is short, so that the index never forgets a breaker in use.
    static func period(heartbeat: Duration, retention: Duration) -> Int {
        max(1, min(30, Int(retention / (heartbeat * 4))))
    }

    /// Whether this heartbeat should name the breakers; counts it.
    mutating func shouldName(count: Int, period: Int) -> Bool {
        sinceNamed += 1
        return count != namedCount || sinceNamed >= period
    }

    /// Redis took a heartbeat that named `count` breakers. Only then: a heartbeat that failed names them again
    /// at the next one, not a period later.
    mutating func named(count: Int) {
        namedCount = count
        sinceNamed = 0
    }
}
