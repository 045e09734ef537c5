/// How a ``RedisClient`` reaches Redis and how patient it is.
///
/// Build it from a URL with ``init(url:)`` and adjust fields, or set every field directly:
///
/// ```swift
/// var configuration = try RedisConfiguration(url: "redis://:secret@127.0.0.1:6379/2")
/// configuration.commandTimeout = .milliseconds(250)
/// let client = try RedisClient(configuration: configuration)
/// ```
public struct RedisConfiguration: Sendable, CustomStringConvertible, CustomReflectable {
    /// Where Redis is.
    public var endpoint: RedisEndpoint
    /// The ACL user name, or `nil` for the default user.
    public var username: String?
    /// The password; never logged, never part of an error message.
    public var password: String?
    /// The logical database selected after connecting.
    public var database: Int
    /// The longest a TCP or Unix connect may take.
    public var connectTimeout: Duration
    /// How long a command waits for its reply unless its call gives its own timeout; the caller gets
    /// ``RedisClientError/Code/timedOut`` then, even while its connection is still connecting or reading.
    /// A connection on which Redis stays silent that long is closed and reopened.
    public var commandTimeout: Duration
    /// Whether TCP keepalive probes run on idle connections.
    public var tcpKeepAlive: Bool
    /// Connections in the pool. Concurrent commands that share one connection are written together
    /// (automatic pipelining), so a few connections go a long way.
    public var poolSize: Int
    /// The first wait before reconnecting after a failed connect; it doubles up to ``maximumReconnectDelay``.
    public var initialReconnectDelay: Duration
    /// The longest wait between reconnect attempts.
    public var maximumReconnectDelay: Duration
    /// The name given to connections with `CLIENT SETNAME`, or `nil`.
    public var clientName: String?
    /// The most requests that may wait for one pooled connection while it is busy (connecting, or waiting
    /// for a slow Redis); more fail at once with ``RedisClientError/Code/overloaded``.
    public var maximumPendingRequests: Int

    /// Creates a configuration. Every parameter has a default.
    public init(
        endpoint: RedisEndpoint = .tcp(host: "127.0.0.1", port: 6379),
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        connectTimeout: Duration = .seconds(1),
        commandTimeout: Duration = .seconds(1),
        tcpKeepAlive: Bool = true,
        poolSize: Int = 2,
        initialReconnectDelay: Duration = .milliseconds(25),
        maximumReconnectDelay: Duration = .seconds(1),
        clientName: String? = nil,
        maximumPendingRequests: Int = 10_000
    ) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.tcpKeepAlive = tcpKeepAlive
        self.poolSize = poolSize
        self.initialReconnectDelay = initialReconnectDelay
        self.maximumReconnectDelay = maximumReconnectDelay
        self.clientName = clientName
        self.maximumPendingRequests = maximumPendingRequests
    }

    /// Creates a configuration from a URL (see ``RedisURL``) with default timeouts.
    /// - Throws: ``RedisClientError/Code/invalidURL`` naming the part of the URL that is wrong.
    public init(url: String) throws(RedisClientError) {
        let parsed = try RedisURL(url)
        self.init(endpoint: parsed.endpoint, username: parsed.username, password: parsed.password, database: parsed.database)
    }

    /// Checks every field, naming the first one that is out of range.
    /// - Throws: ``RedisClientError/Code/invalidConfiguration``.
    public func validate() throws(RedisClientError) {
        func fail(_ message: String) -> RedisClientError { RedisClientError(.invalidConfiguration, message) }
        guard poolSize >= 1, poolSize <= 64 else { throw fail("poolSize must be between 1 and 64, got \(poolSize)") }
        guard (1...1_000_000).contains(maximumPendingRequests) else {
            throw fail("maximumPendingRequests must be between 1 and 1000000, got \(maximumPendingRequests)")
        }
        guard database >= 0 else { throw fail("database must not be negative, got \(database)") }
        // Below a millisecond the socket timeout would round to zero, which the kernel reads as "never".
        guard connectTimeout >= .milliseconds(1) else { throw fail("connectTimeout must be at least 1 ms") }
        guard commandTimeout >= .milliseconds(1) else { throw fail("commandTimeout must be at least 1 ms") }
        guard initialReconnectDelay > .zero, maximumReconnectDelay >= initialReconnectDelay else {
            throw fail("reconnect delays must be positive, the maximum no smaller than the initial")
        }
        switch endpoint {
        case .tcp(let host, let port):
            guard !host.isEmpty, (1...65535).contains(port) else { throw fail("endpoint needs a host and a port in 1...65535") }
        case .unix(let path):
            guard path.hasPrefix("/") else { throw fail("unix socket path must be absolute") }
        case .sentinel(let sentinels, let masterName):
            guard !sentinels.isEmpty, !masterName.isEmpty, sentinels.allSatisfy({ (1...65535).contains($0.port) }) else {
                throw fail("a sentinel endpoint needs sentinels with ports in 1...65535 and a master name")
            }
        }
    }

    /// The endpoint, database and user, with the password shown as `***`.
    public var description: String {
        "RedisConfiguration(\(endpoint), database: \(database), user: \(username ?? "default"), password: \(password == nil ? "none" : "***"))"
    }

    /// Reflection shows the redacted description, so `dump` and debuggers never print the password.
    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}
