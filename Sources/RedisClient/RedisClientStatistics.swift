/// Counters of a ``RedisClient`` since it was created.
public struct RedisClientStatistics: Sendable, Hashable {
    /// Commands written to Redis.
    public var commands: Int
    /// Writes that carried them: fewer writes than commands means concurrent callers shared round trips.
    public var writes: Int
    /// Successful connects, the first included.
    public var connects: Int

    /// Creates statistics.
    public init(commands: Int = 0, writes: Int = 0, connects: Int = 0) {
        self.commands = commands
        self.writes = writes
        self.connects = connects
    }
}
