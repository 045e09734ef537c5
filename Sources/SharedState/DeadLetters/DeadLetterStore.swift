import Foundation
import Logging
import Metrics
import RedisClient
import ServiceLifecycle
import Synchronization

/// Dead-letter queues in Redis: one stream per queue, shared by every instance.
///
/// Each queue is the stream `bulwark:dlq:{<queue>}`, bounded to ``DeadLetterConfiguration/maximumLength``
/// entries (the oldest go first). Entry ids are Redis times, so the queue is ordered by arrival and
/// ``purge(_:olderThan:)`` can cut by age.
///
/// ```swift
/// let store = try DeadLetterStore(client: client)
/// let orders = try DeadLetterQueueName("orders")
/// try await store.add(to: orders, payload: body, error: "inventory service answered 503", attempts: 3)
/// let page = try await store.list(orders, limit: 20)
/// let outcome = try await store.retry(page.letters[0].id, in: orders) { letter in
///     try await process(letter.payload)
/// }
/// ```
///
/// ## When Redis is unreachable
///
/// - ``add(to:payload:error:attempts:firstFailure:)`` does not fail when Redis is unreachable: it keeps the letter in a local
///   buffer of at most ``DeadLetterConfiguration/pendingLimit`` letters (beyond it the oldest are dropped and
///   counted in ``droppedCount``) and returns `nil` instead of an id. ``flushPending()`` — called by ``run()``
///   every ``DeadLetterConfiguration/flushInterval``, and by every `add` — replays the buffer once Redis answers,
///   in order and with the original failure times and attempt counts; the replayed entries get new ids (their
///   arrival in Redis). A write whose connection broke or timed out mid-flight is buffered too and may then appear
///   twice: delivery into the queue is at least once. While Redis is silent rather than refusing (a frozen server),
///   an `add` waits up to the client's command timeout before it buffers.
/// - Every read, retry, purge and delete fails closed with ``SharedStateError/Code/storeUnavailable``: the queue's
///   content is Redis's alone, and no instance guesses it.
///
/// The store reports the buffer in the gauge `bulwark_dlq_pending`, letters dropped from it in the counter
/// `bulwark_dlq_dropped`, and `bulwark_shared_state_fallback{store="dead_letters"}` is 1 while letters wait.
public final class DeadLetterStore: Service, Sendable {
    /// The client used.
    public let client: RedisClient
    /// The bounds of the queues and of the local buffer.
    public let configuration: DeadLetterConfiguration
    let logger: Logger
    let pending: Mutex<PendingDeadLetters>
    /// Lease renewals, counted so that tests see none outlive its retry.
    let helpers = HelperTasks()
    let handlers = Mutex<[DeadLetterQueueName: @Sendable (DeadLetter) async throws -> Void]>([:])
    let pendingGauge = Gauge(label: "bulwark_dlq_pending")
    let droppedCounter = Counter(label: "bulwark_dlq_dropped")
    let fallbackGauge = Gauge(label: "bulwark_shared_state_fallback", dimensions: [("store", "dead_letters")])

    /// Creates a store over a client; add it to a `ServiceGroup` (or call ``run()``) to replay buffered letters.
    /// - Throws: ``SharedStateError/Code/invalidConfiguration`` naming the field out of range.
    public init(
        client: RedisClient,
        configuration: DeadLetterConfiguration = DeadLetterConfiguration(),
        logger: Logger = Logger(label: "bulwark.dead-letters")
    ) throws(SharedStateError) {
        try configuration.validate()
        self.client = client
        self.configuration = configuration
        self.logger = logger
        self.pending = Mutex(PendingDeadLetters(limit: configuration.pendingLimit))
    }

    /// Adds a message that failed to a queue.
    ///
    /// - Parameters:
    ///   - queue: The queue.
    ///   - payload: The message, any bytes.
    ///   - error: Why it failed; stored and shown as given, so it must not hold secrets.
    ///   - attempts: How many times processing has failed so far, at least 1.
    ///   - firstFailure: When processing first failed; now when `nil`. The last failure is always now.
    /// - Returns: The new entry's id, or `nil` when Redis was unreachable and the letter waits in the local buffer.
    /// - Throws: ``SharedStateError/Code/invalidConfiguration`` when `attempts` is below 1;
    ///   ``SharedStateError/Code/storeUnavailable`` when Redis refused the write for a reason other than being
    ///   unreachable (the key holding another type, `OOM`, `NOPERM`: the underlying `RedisClientError`'s
    ///   `failureKind` says which); the letter is then not buffered.
    @discardableResult
    public func add(
        to queue: DeadLetterQueueName,
        payload: [UInt8],
        error: String,
        attempts: Int = 1,
        firstFailure: Date? = nil
    ) async throws(SharedStateError) -> DeadLetterID? {
        guard attempts >= 1 else {
            throw SharedStateError(.invalidConfiguration, "attempts must be at least 1, got \(attempts)")
        }
        let now = DeadLetterFields.milliseconds(Date())
        let letter = PendingDeadLetter(
            queue: queue,
            payload: payload,
            error: error,
            attempts: attempts,
            firstFailure: firstFailure.map(DeadLetterFields.milliseconds) ?? now,
            lastFailure: now
        )
        return try await enqueue(letter)
    }

    /// One page of a queue, oldest first.
    /// - Parameters:
    ///   - queue: The queue.
    ///   - cursor: The ``DeadLetterPage/nextCursor`` of the previous page; `nil` for the first page.
    ///   - limit: The most entries on the page, 1 to 1,000.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis is unreachable;
    ///   ``SharedStateError/Code/invalidConfiguration`` for a limit out of range.
    public func list(_ queue: DeadLetterQueueName, after cursor: DeadLetterID? = nil, limit: Int = 100) async throws(SharedStateError)
        -> DeadLetterPage
    {
        guard (1...1_000).contains(limit) else {
            throw SharedStateError(.invalidConfiguration, "limit must be between 1 and 1000, got \(limit)")
        }
        let start = cursor.map { "(" + $0.description } ?? "-"
        let reply = try await send(RedisCommand("XRANGE", key(queue), start, "+", "COUNT", limit + 1), queue)
        var letters = try decodeEntries(reply)
        guard letters.count > limit else { return DeadLetterPage(letters: letters, nextCursor: nil) }
        letters.removeLast(letters.count - limit)
        return DeadLetterPage(letters: letters, nextCursor: letters.last?.id)
    }

    /// The number of entries in a queue.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis is unreachable.
    public func count(_ queue: DeadLetterQueueName) async throws(SharedStateError) -> Int {
        let reply = try await send(RedisCommand("XLEN", key(queue)), queue)
        guard let count = reply.int else { throw SharedStateError(.unexpectedReply, "XLEN answered \(reply)") }
        return count
    }

    /// One entry, or `nil` when the queue has no entry with this id.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis is unreachable.
    public func get(_ id: DeadLetterID, in queue: DeadLetterQueueName) async throws(SharedStateError) -> DeadLetter? {
        let reply = try await send(RedisCommand("XRANGE", key(queue), id.description, id.description, "COUNT", 1), queue)
        return try decodeEntries(reply).first
    }

    /// Deletes one entry without retrying it.
    /// - Returns: Whether the entry was there (and this call removed it).
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis is unreachable.
    @discardableResult
    public func delete(_ id: DeadLetterID, in queue: DeadLetterQueueName) async throws(SharedStateError) -> Bool {
        let reply = try await send(RedisCommand("XDEL", key(queue), id.description), queue)
        return reply.int == 1
    }

    /// Removes the entries that entered the queue more than `age` ago, by Redis's clock.
    ///
    /// An entry's age counts from its arrival in the stream: a retried letter that failed again, or a letter
    /// replayed from the local buffer, is as old as that arrival.
    /// - Returns: How many entries were removed.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis is unreachable;
    ///   ``SharedStateError/Code/invalidConfiguration`` for a negative age.
    @discardableResult
    public func purge(_ queue: DeadLetterQueueName, olderThan age: Duration) async throws(SharedStateError) -> Int {
        guard age >= .zero else { throw SharedStateError(.invalidConfiguration, "the purge age must not be negative") }
        let milliseconds = age.components.seconds * 1000 + age.components.attoseconds / 1_000_000_000_000_000
        let reply: RedisValue
        do {
            reply = try await client.evaluate(DeadLetterScripts.purge, keys: [key(queue)], arguments: [String(milliseconds)])
        } catch {
            throw unavailable(queue, error)
        }
        guard let removed = reply.int else { throw SharedStateError(.unexpectedReply, "the purge script answered \(reply)") }
        return removed
    }

    /// Letters waiting in local memory for Redis to answer again.
    public var pendingCount: Int { pending.withLock { $0.count } }

    /// Letters dropped from the local buffer because it was full, since the store was created.
    public var droppedCount: Int { pending.withLock { $0.dropped } }

    func key(_ queue: DeadLetterQueueName) -> String { queue.streamKey(prefix: configuration.keyPrefix) }

    func send(_ command: RedisCommand, _ queue: DeadLetterQueueName) async throws(SharedStateError) -> RedisValue {
        do {
            return try await client.send(command)
        } catch {
            throw unavailable(queue, error)
        }
    }

    func unavailable(_ queue: DeadLetterQueueName, _ error: RedisClientError) -> SharedStateError {
        let kind = error.failureKind
        let what = kind.isUnreachable ? "could not be reached in Redis" : "was refused by Redis (\(kind))"
        return SharedStateError(.storeUnavailable, "dead-letter queue '\(queue)' \(what): \(error.code)", underlying: error)
    }

    func decodeEntries(_ reply: RedisValue) throws(SharedStateError) -> [DeadLetter] {
        guard let entries = reply.array else { throw SharedStateError(.unexpectedReply, "XRANGE answered \(reply)") }
        var letters: [DeadLetter] = []
        letters.reserveCapacity(entries.count)
        for entry in entries { letters.append(try DeadLetterFields.decode(entry)) }
        return letters
    }
}
