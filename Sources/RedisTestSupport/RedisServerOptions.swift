/// How ``RedisServerProcess`` starts `redis-server`.
///
/// The server always listens on `127.0.0.1` only, with persistence off (`save ""`, `appendonly no`), in a
/// temporary directory of its own that also holds its log.
///
/// ```swift
/// var options = RedisServerOptions()
/// options.password = "secret"
/// options.unixSocketPath = "redis.sock"  // inside the server's temporary directory
/// let server = try await RedisServerProcess.start(options)
/// ```
public struct RedisServerOptions: Sendable {
    /// A user created with `ACL` rights on every key, channel and command.
    public struct ACLUser: Hashable, Sendable {
        /// The user name.
        public var name: String
        /// The user's password.
        public var password: String

        /// Creates a user.
        ///
        /// - Parameters:
        ///   - name: The user name; defaults to `bulwark`.
        ///   - password: The user's password; defaults to `bulwark-password`.
        public init(name: String = "bulwark", password: String = "bulwark-password") {
            self.name = name
            self.password = password
        }
    }

    /// The password of the `default` user (`requirepass`), or `nil` for none.
    public var password: String?
    /// An extra ACL user, or `nil` for none. The `default` user keeps ``password``.
    public var aclUser: ACLUser?
    /// Where to listen on a Unix socket too (`unixsocket`, with `unixsocketperm 700`), or `nil` for TCP only.
    ///
    /// A relative path is taken inside the server's temporary directory; keep absolute paths short, since
    /// Unix socket paths are limited to about 100 bytes.
    public var unixSocketPath: String?
    /// The primary to replicate (`replicaof`), or `nil` to run as a primary.
    public var replicaOf: RedisServerAddress?
    /// The password this server sends to its primary (`masterauth`), or `nil` for none.
    public var primaryPassword: String?
    /// Raw arguments appended after the fixture's own, such as `["--maxmemory", "10mb"]`; later ones win.
    ///
    /// Readiness is read from the log, so don't raise `loglevel` above `notice`.
    public var extraArguments: [String]
    /// How long ``RedisServerProcess/start(_:)`` and ``RedisServerProcess/restart()`` wait for the server to answer `PING`.
    public var startTimeout: Duration
    /// How long ``RedisServerProcess/stop()`` waits after `SIGTERM` before it sends `SIGKILL`.
    public var stopTimeout: Duration
    /// The executable: a name looked up on `PATH` (then `/usr/bin`, `/usr/local/bin`, `/opt/homebrew/bin`) or a path.
    public var executable: String

    /// Creates options; every parameter has a default.
    ///
    /// - Parameters:
    ///   - password: The `default` user's password (`requirepass`); none by default.
    ///   - aclUser: An extra ACL user; none by default.
    ///   - unixSocketPath: A Unix socket to listen on as well; none by default.
    ///   - replicaOf: The primary to replicate; none by default.
    ///   - primaryPassword: The password sent to the primary (`masterauth`); none by default.
    ///   - extraArguments: Raw `redis-server` arguments appended last; none by default.
    ///   - startTimeout: The start deadline; 10 seconds by default.
    ///   - stopTimeout: The grace period after `SIGTERM`; 5 seconds by default.
    ///   - executable: The `redis-server` executable; `redis-server` on `PATH` by default.
    public init(
        password: String? = nil,
        aclUser: ACLUser? = nil,
        unixSocketPath: String? = nil,
        replicaOf: RedisServerAddress? = nil,
        primaryPassword: String? = nil,
        extraArguments: [String] = [],
        startTimeout: Duration = .seconds(10),
        stopTimeout: Duration = .seconds(5),
        executable: String = "redis-server"
    ) {
        self.password = password
        self.aclUser = aclUser
        self.unixSocketPath = unixSocketPath
        self.replicaOf = replicaOf
        self.primaryPassword = primaryPassword
        self.extraArguments = extraArguments
        self.startTimeout = startTimeout
        self.stopTimeout = stopTimeout
        self.executable = executable
    }
}
