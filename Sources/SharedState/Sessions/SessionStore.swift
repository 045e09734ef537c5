import Logging
import RedisClient
import ServiceLifecycle

/// Sessions shared by every instance through Redis: sliding and absolute expiry, per-attribute writes,
/// id rotation, and an index per user to list and revoke all of a user's sessions.
///
/// ```swift
/// let store = try SessionStore(client: client)
/// let session = try await store.create(user: try SessionUser("alice"), attributes: ["role": "admin"])
/// // on each request, one round trip reads the session and extends it:
/// guard let current = try await store.touch(try SessionID(cookieValue)) else { /* sign in again */ }
/// try await store.setAttributes(current.id, ["cart": "3 items"])
/// ```
///
/// Every operation is one round trip. ``touch(_:)``, the one made on every request, is a pipeline of three
/// plain commands (slide the idle key, read its deadline, read the hash); every other operation is one Lua
/// script that no other instance can interleave with. Keys: `bulwark:session:<id>` (a hash with `user`,
/// `created`, `absolute` and an `a:<name>` field per attribute, expiring at the absolute expiry),
/// `bulwark:session:<id>:idle` (expiring at the idle deadline; a session is live while both keys exist),
/// `bulwark:sessions:expiry` (`<id>:<user>` scored by the earliest time the session can have expired, read by
/// the sweep) and `bulwark:sessions:user:<user>` (ids scored by absolute expiry). Run the store as a
/// `Service` (``run()``) on at least one instance to report expiries on ``events`` and to delete what
/// expired sessions leave behind.
///
/// When Redis cannot be reached every operation fails closed with
/// ``SharedStateError/Code/storeUnavailable``: a session granted or extended from one instance's memory would
/// not exist on the others, and a session revoked while Redis was away would still be honoured locally, so
/// no local fallback could be both available and correct. Callers treat the error as "not signed in" or as
/// a 503, never as a valid session.
///
/// The store needs one Redis 7.0 or later primary, not Redis Cluster: its scripts touch a session together
/// with the expiry index and the user's index, which lie in different slots.
public final class SessionStore: Service, Sendable {
    /// The client used.
    public let client: RedisClient
    /// Lifetimes and sweep settings.
    public let configuration: SessionConfiguration
    /// What this store did or noticed: its creations, rotations and revocations, and the expiries its sweeps
    /// claimed. One consumer at a time; when it lags, the oldest events beyond
    /// ``SessionConfiguration/eventBufferSize`` are dropped.
    public let events: AsyncStream<SessionEvent>

    let continuation: AsyncStream<SessionEvent>.Continuation
    let keys: SessionKeys
    let logger: Logger

    /// Creates a store over a client.
    /// - Parameters:
    ///   - client: The Redis client.
    ///   - configuration: Lifetimes and sweep settings.
    ///   - prefix: The key prefix, `bulwark` by default.
    ///   - logger: Where sweep failures are logged.
    /// - Throws: ``SharedStateError/Code/invalidConfiguration`` naming the field out of range.
    public init(
        client: RedisClient,
        configuration: SessionConfiguration = .init(),
        prefix: String = "bulwark",
        logger: Logger = Logger(label: "bulwark.sessions")
    ) throws(SharedStateError) {
        try configuration.validate()
        self.client = client
        self.configuration = configuration
        self.keys = SessionKeys(prefix: prefix)
        self.logger = logger
        let (events, continuation) = AsyncStream<SessionEvent>.makeStream(
            bufferingPolicy: .bufferingNewest(configuration.eventBufferSize)
        )
        self.events = events
        self.continuation = continuation
    }

    deinit {
        continuation.finish()
    }

    /// Creates a session with a new id of 256 random bits.
    /// - Parameters:
    ///   - user: The user who owns it.
    ///   - attributes: Its first attributes.
    /// - Returns: The session, which expires after the idle timeout unless touched.
    /// - Throws: ``SharedStateError/Code/invalidName`` for an empty or over-long attribute name,
    ///   ``SharedStateError/Code/storeUnavailable`` when Redis cannot be reached.
    public func create(user: SessionUser, attributes: [String: String] = [:]) async throws(SharedStateError) -> Session {
        let id = SessionID.random()
        var arguments = [id.value, user.value, String(configuration.idleMilliseconds), String(configuration.absoluteMilliseconds)]
        for (name, value) in attributes {
            arguments += [try Self.field(name), value]
        }
        let reply = try await evaluate(
            SessionScripts.create,
            keys: [keys.session(id), keys.idle(id), keys.expiry, keys.user(user)],
            arguments: arguments
        )
        let session = try Session(reply: reply)
        continuation.yield(.created(id, user: user))
        return session
    }

    /// Reads a session and extends it, in one round trip: its idle deadline moves to the idle timeout from
    /// now, capped by its absolute expiry.
    ///
    /// One pipeline of three commands that Redis answers without running a script: `PEXPIRE` on the idle key
    /// (which does nothing when the session has expired, so a touch never brings one back), `PEXPIRETIME` on
    /// it, and `HGETALL` of the session. The session counts as live only when all three found it.
    /// - Returns: The session, or `nil` when it does not exist, expired, or was revoked.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis cannot be reached.
    public func touch(_ id: SessionID) async throws(SharedStateError) -> Session? {
        let idle = keys.idle(id)
        let replies: [RedisValue]
        do {
            replies = try await client.pipeline([
                RedisCommand("PEXPIRE", idle, Int(configuration.idleMilliseconds)),
                RedisCommand("PEXPIRETIME", idle),
                RedisCommand("HGETALL", keys.session(id)),
            ])
            for reply in replies { _ = try reply.throwingServerError(command: "touch") }
        } catch {
            throw SharedStateError(.storeUnavailable, "the session store could not be reached in Redis: \(error.code)", underlying: error)
        }
        guard replies.count == 3, let slid = replies[0].int, let idleDeadline = replies[1].int, let fields = replies[2].array else {
            throw SharedStateError(.unexpectedReply, "touching session \(id) returned \(replies)")
        }
        guard slid == 1, idleDeadline > 0, !fields.isEmpty else { return nil }
        return try Session(id: id, hash: fields, idleDeadlineMilliseconds: Int64(idleDeadline))
    }

    /// Sets attributes of a session, leaving its other attributes and its expiry as they are.
    ///
    /// Only the named attributes are written, so requests that change different attributes at the same time
    /// never overwrite each other. Nothing is written when the session does not exist: a write never brings
    /// back an expired session as a partial record.
    /// - Returns: Whether the session exists (and was written).
    /// - Throws: ``SharedStateError/Code/invalidName`` for an empty or over-long attribute name,
    ///   ``SharedStateError/Code/storeUnavailable`` when Redis cannot be reached.
    @discardableResult
    public func setAttributes(_ id: SessionID, _ attributes: [String: String]) async throws(SharedStateError) -> Bool {
        var arguments = [String(attributes.count)]
        for (name, value) in attributes {
            arguments += [try Self.field(name), value]
        }
        return try await update(id, arguments)
    }

    /// Removes attributes of a session, leaving the others and its expiry as they are.
    /// - Returns: Whether the session exists.
    /// - Throws: ``SharedStateError/Code/invalidName`` for an empty or over-long attribute name,
    ///   ``SharedStateError/Code/storeUnavailable`` when Redis cannot be reached.
    @discardableResult
    public func removeAttributes(_ id: SessionID, _ names: Set<String>) async throws(SharedStateError) -> Bool {
        var arguments = ["0"]
        for name in names {
            arguments.append(try Self.field(name))
        }
        return try await update(id, arguments)
    }

    /// Gives a session a new id, keeping its user, attributes and absolute expiry, and extends it as
    /// ``touch(_:)`` does; the old id stops working in the same atomic step. Rotate after signing in or any
    /// change of privilege, so that an id learned before cannot ride along.
    /// - Returns: The session under its new id, or `nil` when it does not exist.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis cannot be reached.
    public func rotate(_ id: SessionID) async throws(SharedStateError) -> Session? {
        let newID = SessionID.random()
        let reply = try await evaluate(
            SessionScripts.rotate,
            keys: [keys.session(id), keys.idle(id), keys.session(newID), keys.idle(newID), keys.expiry],
            arguments: [id.value, newID.value, String(configuration.idleMilliseconds), keys.userPrefix]
        )
        if reply.isNull { return nil }
        let session = try Session(reply: reply)
        continuation.yield(.rotated(from: id, to: newID, user: session.user))
        return session
    }

    /// Ends a session now.
    /// - Returns: Whether the session existed.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis cannot be reached.
    @discardableResult
    public func revoke(_ id: SessionID) async throws(SharedStateError) -> Bool {
        let reply = try await evaluate(
            SessionScripts.revoke,
            keys: [keys.session(id), keys.idle(id), keys.expiry],
            arguments: [id.value, keys.userPrefix]
        )
        if reply.isNull { return false }
        guard let text = reply.string, let user = try? SessionUser(text) else {
            throw SharedStateError(.unexpectedReply, "revoking session \(id) returned \(reply)")
        }
        continuation.yield(.revoked(id, user: user))
        return true
    }

    /// Ends every session of a user now, on every instance.
    /// - Returns: How many live sessions were ended.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis cannot be reached.
    @discardableResult
    public func revokeAll(user: SessionUser) async throws(SharedStateError) -> Int {
        let reply = try await evaluate(SessionScripts.revokeAll, keys: [keys.user(user), keys.expiry], arguments: [user.value, keys.sessionPrefix])
        guard let elements = reply.array else {
            throw SharedStateError(.unexpectedReply, "revoking the sessions of '\(user)' returned \(reply)")
        }
        for element in elements {
            guard let text = element.string, let id = try? SessionID(text) else {
                throw SharedStateError(.unexpectedReply, "revoking the sessions of '\(user)' returned \(element)")
            }
            continuation.yield(.revoked(id, user: user))
        }
        return elements.count
    }

    /// How many sessions the fleet holds now (the size of the expiry index, which the sweep keeps tidy).
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis cannot be reached.
    public func activeCount() async throws(SharedStateError) -> Int {
        do {
            return try await client.send("ZCARD", keys.expiry).int ?? 0
        } catch {
            throw SharedStateError(.storeUnavailable, "the session store could not be reached in Redis: \(error.code)", underlying: error)
        }
    }

    /// The live sessions of a user, oldest absolute expiry first, without extending them.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis cannot be reached.
    public func sessions(user: SessionUser) async throws(SharedStateError) -> [Session] {
        let reply = try await evaluate(SessionScripts.list, keys: [keys.user(user)], arguments: [keys.sessionPrefix])
        guard let elements = reply.array else {
            throw SharedStateError(.unexpectedReply, "listing the sessions of '\(user)' returned \(reply)")
        }
        var sessions: [Session] = []
        for element in elements {
            sessions.append(try Session(reply: element))
        }
        return sessions
    }

    private func update(_ id: SessionID, _ arguments: [String]) async throws(SharedStateError) -> Bool {
        let reply = try await evaluate(SessionScripts.update, keys: [keys.session(id), keys.idle(id)], arguments: arguments)
        guard let exists = reply.int else {
            throw SharedStateError(.unexpectedReply, "writing attributes of session \(id) returned \(reply)")
        }
        return exists == 1
    }

    /// Runs a script, turning any failure to get an answer into ``SharedStateError/Code/storeUnavailable``.
    func evaluate(_ script: RedisScript, keys: [String], arguments: [String]) async throws(SharedStateError) -> RedisValue {
        do {
            return try await client.evaluate(script, keys: keys, arguments: arguments)
        } catch {
            throw SharedStateError(.storeUnavailable, "the session store could not be reached in Redis: \(error.code)", underlying: error)
        }
    }

    /// The hash field of an attribute: `a:<name>`.
    private static func field(_ name: String) throws(SharedStateError) -> String {
        guard !name.isEmpty, name.utf8.count <= 256 else {
            throw SharedStateError(.invalidName, "a session attribute name must be 1 to 256 bytes, got \(name.utf8.count)")
        }
        return "a:" + name
    }
}
