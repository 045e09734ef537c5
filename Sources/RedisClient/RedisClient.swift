import Logging
import Synchronization
import Tracing

/// A client for Redis over hiredis, safe to share between any number of tasks.
///
/// The client holds a small pool of connections, each driven by a thread of its own so that blocking
/// hiredis calls never run on Swift's cooperative thread pool. Commands that tasks issue at the same time
/// on one connection are written together and answered in order (automatic pipelining), so sixteen
/// concurrent callers cost about one round trip, not sixteen.
///
/// ```swift
/// let client = try RedisClient(url: "redis://127.0.0.1:6379")
/// try await client.send("SET", "greeting", "hello")
/// let greeting = try await client.send("GET", "greeting").string
/// ```
///
/// Connections open lazily and reopen by themselves after Redis restarts, with exponential backoff
/// between failed attempts; while a connection waits out its backoff, calls fail at once in the caller.
/// Every call returns at its deadline (within about a millisecond) — its own `timeout`, or the configured
/// ``RedisConfiguration/commandTimeout`` — and when its task is cancelled, with a ``RedisClientError``
/// whose code says why; it never hangs. A reply that comes after its caller gave up is dropped, never
/// handed to the next caller. Blocking commands (`BLPOP`, `XREAD … BLOCK`, `WAIT`, …) are refused: they
/// would hold up every caller sharing the connection.
///
/// With a tracer, each command, pipeline and transaction is a client span with OpenTelemetry's database
/// attributes (`db.system.name` `redis`, `db.operation.name`, `server.address`, …): command names only, never
/// arguments.
public final class RedisClient: Sendable {
    /// The configuration the client was created with.
    public let configuration: RedisConfiguration
    /// The process's pub/sub connection, shared by every listener that uses this client; it opens at the first
    /// subscription and closes at ``shutdown()``.
    public let subscriptions: RedisSubscriptionHub
    private let connections: [RedisConnection]
    private let nextConnection = Atomic<Int>(0)
    private let latencyObserver: (@Sendable (Duration) -> Void)?
    private let deadlines: DeadlineWatch
    private let tracing: RedisCommandTracing?

    /// Creates a client. No connection is opened until the first command.
    /// - Parameters:
    ///   - configuration: Where Redis is and the timeouts.
    ///   - logger: Where connection events are logged.
    ///   - latencyObserver: Told how long each command or pipeline took, from the call until its reply
    ///     (or failure) reached the caller — for a latency histogram. Called on the caller's task.
    ///   - tracer: Where each command's span goes, or `nil` for none; by default ``bootstrappedTracer``, which
    ///     is `nil` unless the application bootstrapped `InstrumentationSystem` with a tracer.
    /// - Throws: ``RedisClientError/Code/invalidConfiguration`` when a field is out of range.
    public init(
        configuration: RedisConfiguration,
        logger: Logger = Logger(label: "bulwark.redis"),
        latencyObserver: (@Sendable (Duration) -> Void)? = nil,
        tracer: (any Tracer)? = RedisClient.bootstrappedTracer
    ) throws(RedisClientError) {
        try configuration.validate()
        self.configuration = configuration
        self.latencyObserver = latencyObserver
        tracing = tracer.map { RedisCommandTracing(tracer: $0, configuration: configuration) }
        let connections = (0..<configuration.poolSize).map { index in
            RedisConnection(configuration: configuration, name: "bulwark-redis-\(index)", logger: logger)
        }
        self.connections = connections
        self.deadlines = DeadlineWatch(connections: connections, name: "bulwark-redis-deadlines")
        self.subscriptions = try RedisSubscriptionHub(configuration: configuration, logger: logger)
    }

    /// Creates a client from a URL with default timeouts.
    /// - Throws: ``RedisClientError/Code/invalidURL`` naming the part of the URL that is wrong.
    public convenience init(url: String, logger: Logger = Logger(label: "bulwark.redis")) throws(RedisClientError) {
        try self.init(configuration: RedisConfiguration(url: url), logger: logger)
    }

    deinit {
        shutdown()
    }

    /// The tracer bootstrapped with `InstrumentationSystem`, or `nil` when there is none (its `NoOpTracer`):
    /// read when a client is created, never per command.
    public static var bootstrappedTracer: (any Tracer)? {
        let tracer = InstrumentationSystem.tracer
        return tracer is NoOpTracer ? nil : tracer
    }

    /// Closes every connection (the pub/sub one included); commands still queued fail with
    /// ``RedisClientError/Code/clientClosed``.
    public func shutdown() {
        for connection in connections { connection.close() }
        deadlines.close()
        subscriptions.shutdown()
    }

    /// Whether at least one pooled connection is open right now.
    public var isConnected: Bool { connections.contains { $0.isConnected } }

    /// Commands, requests, writes, connects and spins of every pooled connection since the client was created.
    public var statistics: RedisClientStatistics {
        connections.reduce(into: RedisClientStatistics()) { total, connection in
            let statistics = connection.statistics
            total.commands += statistics.commands
            total.requests += statistics.requests
            total.writes += statistics.writes
            total.connects += statistics.connects
            total.spins += statistics.spins
        }
    }

    /// Sends one command and returns its reply.
    ///
    /// - Parameters:
    ///   - command: The command.
    ///   - timeout: How long to wait for the reply, connecting included; `nil` for
    ///     ``RedisConfiguration/commandTimeout``.
    /// - Throws: ``RedisClientError`` — ``RedisClientError/Code/serverError`` with ``RedisServerError`` for an
    ///   error reply, ``RedisClientError/Code/timedOut`` at the deadline, ``RedisClientError/Code/cancelled``
    ///   when the task is cancelled, or a connection code when Redis could not be reached.
    @discardableResult
    public func send(_ command: RedisCommand, timeout: Duration? = nil) async throws(RedisClientError) -> RedisValue {
        try Self.refuseOnSharedConnection(command)
        guard let tracing else { return try await sendUntraced(command, timeout: timeout) }
        return try await tracing.trace(command.name) { () async throws(RedisClientError) in try await sendUntraced(command, timeout: timeout) }
    }

    private func sendUntraced(_ command: RedisCommand, timeout: Duration?) async throws(RedisClientError) -> RedisValue {
        let request = try makeRequest(encoded: command.encoded, replyCount: 1, timeout: timeout)
        let value: RedisValue = try await wait(for: request) { .single($0) }
        return try value.throwingServerError(command: command.name)
    }

    /// Sends one command built from its name and arguments.
    ///
    /// ```swift
    /// try await client.send("SET", key, value, "PX", 5_000)
    /// ```
    @discardableResult
    public func send<each Argument: RedisArgumentConvertible>(
        _ name: String,
        _ arguments: repeat each Argument
    ) async throws(RedisClientError) -> RedisValue {
        try await send(RedisCommand(name, repeat each arguments))
    }

    /// Sends several commands in one write and returns their replies in order.
    ///
    /// Error replies stay in place as ``RedisValue/error(_:)``: one failing command does not hide the
    /// others' results. The commands are not atomic; see ``transaction(_:timeout:)`` for that.
    /// - Parameters:
    ///   - commands: The commands, sent in this order.
    ///   - timeout: How long to wait for every reply; `nil` for ``RedisConfiguration/commandTimeout``.
    /// - Throws: ``RedisClientError`` when the connection fails.
    public func pipeline(_ commands: [RedisCommand], timeout: Duration? = nil) async throws(RedisClientError) -> [RedisValue] {
        for command in commands { try Self.refuseOnSharedConnection(command) }
        guard let tracing else { return try await unguardedPipeline(commands, timeout: timeout) }
        return try await tracing.trace(RedisCommandTracing.batchOperation(commands), batchSize: commands.count) {
            () async throws(RedisClientError) in try await unguardedPipeline(commands, timeout: timeout)
        }
    }

    private func unguardedPipeline(_ commands: [RedisCommand], timeout: Duration?) async throws(RedisClientError) -> [RedisValue] {
        guard !commands.isEmpty else { return [] }
        var encoded: [UInt8] = []
        encoded.reserveCapacity(commands.reduce(0) { $0 + $1.encoded.count })
        for command in commands { encoded.append(contentsOf: command.encoded) }
        return try await submit(encoded: encoded, replyCount: commands.count, timeout: timeout)
    }

    /// Runs commands atomically between `MULTI` and `EXEC` and returns their replies.
    ///
    /// The whole transaction is written as one request, so commands of other tasks on the same connection
    /// cannot come between its parts.
    /// - Parameters:
    ///   - commands: The commands of the transaction, in order.
    ///   - timeout: How long to wait for the result; `nil` for ``RedisConfiguration/commandTimeout``.
    /// - Throws: ``RedisClientError/Code/serverError`` when Redis refused to queue a command (`EXECABORT`),
    ///   or a connection error.
    public func transaction(_ commands: [RedisCommand], timeout: Duration? = nil) async throws(RedisClientError) -> [RedisValue] {
        for command in commands { try Self.refuseOnSharedConnection(command) }
        guard let tracing else { return try await unguardedTransaction(commands, timeout: timeout) }
        return try await tracing.trace("MULTI", batchSize: commands.count) { () async throws(RedisClientError) in
            try await unguardedTransaction(commands, timeout: timeout)
        }
    }

    private func unguardedTransaction(_ commands: [RedisCommand], timeout: Duration?) async throws(RedisClientError) -> [RedisValue] {
        let replies = try await unguardedPipeline([RedisCommand("MULTI")] + commands + [RedisCommand("EXEC")], timeout: timeout)
        guard let exec = replies.last else {
            throw RedisClientError(.unexpectedReply, "EXEC returned nothing")
        }
        switch exec {
        case .array(let results): return results
        case .error(let error): throw RedisClientError(.serverError, "transaction aborted: \(error.message)", serverError: error)
        case .null: throw RedisClientError(.serverError, "transaction aborted by a watched key")
        default: throw RedisClientError(.unexpectedReply, "EXEC returned \(exec)")
        }
    }

    /// Queues encoded commands on a connection and waits for their replies until the deadline or the
    /// task's cancellation, whichever comes first.
    func submit(encoded: [UInt8], replyCount: Int, timeout: Duration?) async throws(RedisClientError) -> [RedisValue] {
        let request = try makeRequest(encoded: encoded, replyCount: replyCount, timeout: timeout)
        return try await wait(for: request) { .many($0) }
    }

    private func makeRequest(encoded: [UInt8], replyCount: Int, timeout: Duration?) throws(RedisClientError) -> RedisRequest {
        if Task.isCancelled { throw Self.cancelledError }
        let timeout = timeout ?? configuration.commandTimeout
        guard timeout > .zero else { throw RedisClientError(.invalidConfiguration, "a command timeout must be positive") }
        return RedisRequest(encoded: encoded, replyCount: replyCount, timeout: timeout)
    }

    /// Queues `request` on a connection and waits for its reply, its deadline or the task's cancellation.
    /// - Parameter completion: Wraps the continuation: `.single` for one reply, `.many` for a list.
    private func wait<Reply>(
        for request: RedisRequest,
        completion: (UnsafeContinuation<Reply, any Error>) -> RedisRequest.Completion
    ) async throws(RedisClientError) -> Reply {
        let connection = pickConnection()
        let start = latencyObserver == nil ? nil : ContinuousClock.now
        defer { if let start { latencyObserver?(.now - start) } }
        // Redis was unreachable at the last attempt and the next is not due: fail here, without a trip through
        // the connection's thread (a call during an outage returns at once, without suspending).
        if let error = connection.waitingError() { throw error }
        do {
            return try await withTaskCancellationHandler {
                try await withUnsafeThrowingContinuation { continuation in
                    guard request.install(completion(continuation)) else { return }
                    connection.submit(request)
                    // After queueing: the watch either sees the request in its next scan or is woken by it.
                    deadlines.noteQueued(deadline: request.deadline)
                }
            } onCancel: {
                request.fail(Self.cancelledError)
            }
        } catch {
            throw (error as? RedisClientError) ?? RedisClientError(.connectionLost, "unexpected error: \(error)")
        }
    }

    private static var cancelledError: RedisClientError {
        RedisClientError(.cancelled, "the calling task was cancelled")
    }

    /// Round-robin over the pool, skipping connections that are down while another is up: after Redis
    /// restarts, a command goes to a connection that already reconnected rather than to one still waiting
    /// out its backoff.
    private func pickConnection() -> RedisConnection {
        if connections.count == 1 { return connections[0] }
        let start = Int(UInt(bitPattern: nextConnection.wrappingAdd(1, ordering: .relaxed).oldValue) % UInt(connections.count))
        for offset in 0..<connections.count {
            let connection = connections[(start + offset) % connections.count]
            if connection.isConnected { return connection }
        }
        return connections[start]
    }

    /// Refuses a command that would change a shared connection's state, or block it, for every other caller.
    private static func refuseOnSharedConnection(_ command: RedisCommand) throws(RedisClientError) {
        if command.changesConnectionState {
            throw RedisClientError(
                .invalidConfiguration,
                "\(command.name) changes the state of a shared connection; use RedisSubscriber for pub/sub, "
                    + "transaction(_:) for MULTI/EXEC and the configuration for AUTH and SELECT"
            )
        }
        if command.blocks {
            throw RedisClientError(
                .blockingCommand,
                "\(command.name) may block its connection, and every caller sharing it; poll without blocking "
                    + "instead (LPOP, XREAD without BLOCK)"
            )
        }
    }
}
