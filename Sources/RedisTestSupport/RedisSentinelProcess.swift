/// A `redis-sentinel` process on a free loopback port that monitors one master.
///
/// It starts from a generated configuration file in a temporary directory of its own, which the sentinel
/// rewrites as it learns replicas and failovers; ``restart()`` keeps that file, as a real restart would. The
/// process is ended by its pid and the directory removed by ``shutdown()`` or when the last reference goes away.
///
/// ```swift
/// let sentinel = try await RedisSentinelProcess.start(.init(master: primary.address))
/// try await primary.kill()
/// try await sentinel.waitForMasterAddress(replica.address, timeout: .seconds(20))
/// ```
public final class RedisSentinelProcess: Sendable {
    /// The options the sentinel was started with.
    public let options: RedisSentinelOptions
    let instance: ManagedInstance

    private init(options: RedisSentinelOptions, instance: ManagedInstance) {
        self.options = options
        self.instance = instance
    }

    /// Starts `redis-sentinel` on a free loopback port and waits until it answers `PING`.
    ///
    /// - Parameter options: The monitored master and the sentinel's timing.
    /// - Returns: The running sentinel.
    /// - Throws: ``RedisTestSupportError`` with ``RedisTestSupportError/Code/invalidOptions`` (naming the field),
    ///   ``RedisTestSupportError/Code/executableNotFound``, ``RedisTestSupportError/Code/exitedDuringStartup`` or
    ///   ``RedisTestSupportError/Code/startTimedOut`` (whose message ends with the tail of the log), among others.
    public static func start(_ options: RedisSentinelOptions = .init()) async throws -> RedisSentinelProcess {
        try validate(options)
        let executable = try ExecutableLocator.locate(options.executable)
        let scratch = try ScratchDirectory.create(prefix: "bulwark-sentinel")
        let recipe = LaunchRecipe(
            displayName: "redis-sentinel",
            executable: executable,
            logFileName: logFileName,
            readyMarker: "Sentinel ID is",
            requiresAuthentication: false,
            startTimeout: options.startTimeout,
            stopTimeout: options.stopTimeout,
            arguments: { port, isRestart in
                let path = scratch.file(configurationFileName)
                if !isRestart {
                    try scratch.write(configuration(options, port: port, scratch: scratch), to: configurationFileName)
                }
                return [path]
            }
        )
        let instance = try await ManagedInstance.launch(recipe, in: scratch)
        return RedisSentinelProcess(options: options, instance: instance)
    }

    /// Always `127.0.0.1`.
    public var host: String { ManagedInstance.host }

    /// The TCP port; the same after ``restart()``.
    public var port: Int { instance.port }

    /// ``host`` and ``port`` together.
    public var address: RedisServerAddress { RedisServerAddress(host: host, port: port) }

    /// The pid of the current process (a new one after ``restart()``).
    public var pid: Int32 { instance.pid }

    /// Whether the current process has not exited (a paused process is running).
    public var isRunning: Bool { instance.isRunning }

    /// The sentinel's temporary directory; it holds `sentinel.conf` and `sentinel.log`.
    public var directory: String { instance.scratch.path }

    /// The absolute path of the configuration file.
    public var configurationPath: String { instance.scratch.file(Self.configurationFileName) }

    /// The absolute path of the log file.
    public var logPath: String { instance.scratch.file(Self.logFileName) }

    /// Stops the sentinel with `SIGTERM` (resuming it if paused), and with `SIGKILL` after ``RedisSentinelOptions/stopTimeout``.
    ///
    /// - Throws: ``RedisTestSupportError/Code/shutDown`` after ``shutdown()``.
    public func stop() async throws { try await instance.stop() }

    /// Kills the sentinel with `SIGKILL` and waits for the exit.
    ///
    /// - Throws: ``RedisTestSupportError/Code/shutDown`` after ``shutdown()``.
    public func kill() async throws { try await instance.kill() }

    /// Freezes the sentinel with `SIGSTOP` until ``resume()``.
    ///
    /// - Throws: ``RedisTestSupportError/Code/shutDown`` after ``shutdown()``.
    public func pause() async throws { try await instance.pause() }

    /// Lets a paused sentinel go on with `SIGCONT`.
    ///
    /// - Throws: ``RedisTestSupportError/Code/shutDown`` after ``shutdown()``.
    public func resume() async throws { try await instance.resume() }

    /// Stops the sentinel if it runs, then starts it again on the same port with the configuration it rewrote.
    ///
    /// - Throws: ``RedisTestSupportError`` as ``start(_:)`` does, or ``RedisTestSupportError/Code/portUnavailable``.
    public func restart() async throws { try await instance.restart() }

    /// Stops the sentinel (killing it if it won't stop) and removes its temporary directory; safe to call twice.
    public func shutdown() async { await instance.shutdown() }

    /// Whether the sentinel answers `PING` within `timeout`.
    ///
    /// - Parameter timeout: How long to wait for the connection and the reply; 1 second by default.
    public func respondsToPing(within timeout: Duration = .seconds(1)) async -> Bool {
        await instance.respondsToPing(within: timeout)
    }

    /// The tail of the sentinel's log, such as `+switch-master` lines, for diagnosing a failover.
    ///
    /// - Parameter lines: How many lines; 20 by default.
    public func logTail(lines: Int = 20) -> String {
        instance.logTail(lines: lines)
    }
}
