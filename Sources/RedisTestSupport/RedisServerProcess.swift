/// A `redis-server` process on a free loopback port, for tests and benchmarks.
///
/// The server listens on `127.0.0.1` only, persists nothing, and keeps its log in a temporary directory of its
/// own. The process is ended by its pid and the directory removed by ``shutdown()`` or, at the latest, when the
/// last reference goes away, so a failing test leaves no server behind.
///
/// ```swift
/// let server = try await RedisServerProcess.start()
/// let client = try RedisClient(url: server.url)
/// try await server.pause()  // now every request times out
/// try await server.resume()
/// await server.shutdown()  // also done when the last reference goes away
/// ```
public final class RedisServerProcess: Sendable {
    /// The options the server was started with.
    public let options: RedisServerOptions
    let instance: ManagedInstance

    private init(options: RedisServerOptions, instance: ManagedInstance) {
        self.options = options
        self.instance = instance
    }

    /// Starts `redis-server` on a free loopback port and waits until it answers `PING`.
    ///
    /// The port is picked by binding port 0; if another process takes it first, a new port is tried.
    ///
    /// - Parameter options: How to start the server; defaults to no authentication, TCP only, a primary.
    /// - Returns: The running server.
    /// - Throws: ``RedisTestSupportError`` with ``RedisTestSupportError/Code/executableNotFound``,
    ///   ``RedisTestSupportError/Code/exitedDuringStartup`` or ``RedisTestSupportError/Code/startTimedOut``
    ///   (whose message ends with the tail of the server's log), among others.
    public static func start(_ options: RedisServerOptions = .init()) async throws -> RedisServerProcess {
        let recipe = try makeRecipe(options)
        let scratch = try ScratchDirectory.create(prefix: "bulwark-redis")
        let instance = try await ManagedInstance.launch(recipe.withArguments(scratch: scratch), in: scratch)
        return RedisServerProcess(options: options, instance: instance)
    }

    /// Always `127.0.0.1`.
    public var host: String { ManagedInstance.host }

    /// The TCP port; the same after ``restart()``.
    public var port: Int { instance.port }

    /// ``host`` and ``port`` together.
    public var address: RedisServerAddress { RedisServerAddress(host: host, port: port) }

    /// `redis://127.0.0.1:PORT`, with the ACL user's credentials, else `:password@`, when configured.
    public var url: String {
        var credentials = ""
        if let user = options.aclUser {
            credentials = Self.percentEncoded(user.name) + ":" + Self.percentEncoded(user.password) + "@"
        } else if let password = options.password {
            credentials = ":" + Self.percentEncoded(password) + "@"
        }
        return "redis://\(credentials)\(host):\(port)"
    }

    /// The pid of the current process (a new one after ``restart()``).
    public var pid: Int32 { instance.pid }

    /// Whether the current process has not exited (a paused process is running).
    public var isRunning: Bool { instance.isRunning }

    /// The absolute path of the Unix socket, when ``RedisServerOptions/unixSocketPath`` is set.
    public var unixSocketPath: String? {
        options.unixSocketPath.map { Self.resolve($0, in: instance.scratch) }
    }

    /// The server's temporary directory; it holds `redis.log`.
    public var directory: String { instance.scratch.path }

    /// The absolute path of the server's log file.
    public var logPath: String { instance.scratch.file(Self.logFileName) }

    /// Stops the server with `SIGTERM` (resuming it if paused), and with `SIGKILL` after ``RedisServerOptions/stopTimeout``.
    ///
    /// Returns once the process has exited and was reaped; does nothing if it already has.
    /// - Throws: ``RedisTestSupportError/Code/shutDown`` after ``shutdown()``.
    public func stop() async throws { try await instance.stop() }

    /// Kills the server with `SIGKILL`, as a crash would, and waits for the exit.
    ///
    /// - Throws: ``RedisTestSupportError/Code/shutDown`` after ``shutdown()``.
    public func kill() async throws { try await instance.kill() }

    /// Freezes the server with `SIGSTOP`: connections stay open, but nothing is answered until ``resume()``.
    ///
    /// - Throws: ``RedisTestSupportError/Code/shutDown`` after ``shutdown()``.
    public func pause() async throws { try await instance.pause() }

    /// Lets a paused server go on with `SIGCONT`.
    ///
    /// - Throws: ``RedisTestSupportError/Code/shutDown`` after ``shutdown()``.
    public func resume() async throws { try await instance.resume() }

    /// Stops the server if it runs, then starts it again on the same port with the same options.
    ///
    /// Retries while the port is briefly unavailable, until ``RedisServerOptions/startTimeout``. Data is not kept,
    /// since persistence is off.
    /// - Throws: ``RedisTestSupportError`` as ``start(_:)`` does, or ``RedisTestSupportError/Code/portUnavailable``.
    public func restart() async throws { try await instance.restart() }

    /// Stops the server (killing it if it won't stop) and removes its temporary directory.
    ///
    /// Safe to call more than once; afterwards the lifecycle methods throw ``RedisTestSupportError/Code/shutDown``.
    public func shutdown() async { await instance.shutdown() }

    /// Whether the server answers `PING` within `timeout`; a `-NOAUTH` reply counts when a password is set.
    ///
    /// - Parameter timeout: How long to wait for the connection and the reply; 1 second by default.
    /// - Returns: `false` when stopped, paused or not answering.
    public func respondsToPing(within timeout: Duration = .seconds(1)) async -> Bool {
        await instance.respondsToPing(within: timeout)
    }
}
