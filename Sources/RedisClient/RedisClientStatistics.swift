/// Counters of a ``RedisClient`` since it was created.
public struct RedisClientStatistics: Sendable, Hashable {
    /// Commands written to Redis.
    public var commands: Int
    /// Requests that carried them: a command, a pipeline or a transaction is one request, whose replies its
    /// caller awaits in one round trip.
    public var requests: Int
    /// Writes that carried the requests: fewer writes than requests means concurrent callers shared round trips.
    public var writes: Int
    /// Successful connects, the first included.
    public var connects: Int
    /// Times a connection's thread spun (polled without sleeping) for its next request or for a reply. It
    /// spins only while requests follow each other within microseconds; at moderate rates and while idle
    /// this stays put.
    public var spins: Int

    /// Creates statistics.
    public init(commands: Int = 0, requests: Int = 0, writes: Int = 0, connects: Int = 0, spins: Int = 0) {
        self.commands = commands
        self.requests = requests
        self.writes = writes
        self.connects = connects
        self.spins = spins
    }
}
