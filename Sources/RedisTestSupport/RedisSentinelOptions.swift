/// How ``RedisSentinelProcess`` starts `redis-sentinel` and what it monitors.
///
/// The sentinel listens on `127.0.0.1` only and announces itself as `127.0.0.1`, with a generated
/// configuration file in a temporary directory of its own (the sentinel rewrites it as it learns).
///
/// ```swift
/// let options = RedisSentinelOptions(master: RedisServerAddress(port: primary.port), downAfter: .seconds(1))
/// let sentinel = try await RedisSentinelProcess.start(options)
/// ```
public struct RedisSentinelOptions: Sendable {
    /// The name under which the master is monitored (`sentinel monitor NAME …`).
    public var masterName: String
    /// The address of the master to monitor.
    public var master: RedisServerAddress
    /// How many sentinels must agree that the master is down.
    public var quorum: Int
    /// How long the master must be unreachable before it counts as down (`down-after-milliseconds`).
    public var downAfter: Duration
    /// The failover timeout (`failover-timeout`).
    public var failoverTimeout: Duration
    /// How many replicas resync with a new master at once (`parallel-syncs`).
    public var parallelSyncs: Int
    /// The password of the master and its replicas (`sentinel auth-pass`), or `nil` for none.
    public var masterPassword: String?
    /// Raw configuration lines appended to the generated file, such as `"sentinel deny-scripts-reconfig yes"`.
    ///
    /// Readiness is read from the log, so don't raise `loglevel` above `warning`.
    public var extraConfiguration: [String]
    /// How long ``RedisSentinelProcess/start(_:)`` and ``RedisSentinelProcess/restart()`` wait for `PING`.
    public var startTimeout: Duration
    /// How long ``RedisSentinelProcess/stop()`` waits after `SIGTERM` before it sends `SIGKILL`.
    public var stopTimeout: Duration
    /// The executable: a name looked up on `PATH` (then `/usr/bin`, `/usr/local/bin`, `/opt/homebrew/bin`) or a path.
    public var executable: String

    /// Creates options; every parameter has a default.
    ///
    /// - Parameters:
    ///   - masterName: The monitored name; `mymaster` by default.
    ///   - master: The master's address; `127.0.0.1:6379` by default.
    ///   - quorum: The quorum, at least 1; 1 by default.
    ///   - downAfter: `down-after-milliseconds`, at least 1 ms; 1 second by default.
    ///   - failoverTimeout: `failover-timeout`, at least 1 ms; 3 seconds by default.
    ///   - parallelSyncs: `parallel-syncs`, at least 1; 1 by default.
    ///   - masterPassword: `sentinel auth-pass`; none by default.
    ///   - extraConfiguration: Raw configuration lines; none by default.
    ///   - startTimeout: The start deadline; 10 seconds by default.
    ///   - stopTimeout: The grace period after `SIGTERM`; 5 seconds by default.
    ///   - executable: The `redis-sentinel` executable; `redis-sentinel` on `PATH` by default.
    public init(
        masterName: String = "mymaster",
        master: RedisServerAddress = RedisServerAddress(),
        quorum: Int = 1,
        downAfter: Duration = .seconds(1),
        failoverTimeout: Duration = .seconds(3),
        parallelSyncs: Int = 1,
        masterPassword: String? = nil,
        extraConfiguration: [String] = [],
        startTimeout: Duration = .seconds(10),
        stopTimeout: Duration = .seconds(5),
        executable: String = "redis-sentinel"
    ) {
        self.masterName = masterName
        self.master = master
        self.quorum = quorum
        self.downAfter = downAfter
        self.failoverTimeout = failoverTimeout
        self.parallelSyncs = parallelSyncs
        self.masterPassword = masterPassword
        self.extraConfiguration = extraConfiguration
        self.startTimeout = startTimeout
        self.stopTimeout = stopTimeout
        self.executable = executable
    }
}
