import RedisClient

/// A session as Redis holds it, with times in Redis's clock (milliseconds since the Unix epoch).
public struct Session: Sendable, Hashable {
    /// The session's id.
    public var id: SessionID
    /// The user who owns the session.
    public var user: SessionUser
    /// The application's attributes: name → value.
    public var attributes: [String: String]
    /// When the session was created (Redis time).
    public var createdAtMilliseconds: Int64
    /// When the session ends whatever its activity (Redis time): creation plus the absolute lifetime.
    public var absoluteExpiryMilliseconds: Int64
    /// When the session ends unless touched again (Redis time); never after ``absoluteExpiryMilliseconds``.
    public var expiresAtMilliseconds: Int64

    /// Decodes `{id, user, created_ms, absolute_ms, expires_ms, {name, value, …}}` from a session script.
    init(reply: RedisValue) throws(SharedStateError) {
        guard let parts = reply.array, parts.count == 6,
            let idText = parts[0].string, let userText = parts[1].string,
            let created = parts[2].int, let absolute = parts[3].int, let expires = parts[4].int,
            let pairs = parts[5].array
        else {
            throw SharedStateError(.unexpectedReply, "a session script returned \(reply)")
        }
        do {
            id = try SessionID(idText)
            user = try SessionUser(userText)
        } catch {
            throw SharedStateError(.unexpectedReply, "Redis holds a session with a malformed id or user", underlying: error)
        }
        attributes = try Self.attributes(pairs, prefix: "")
        createdAtMilliseconds = Int64(created)
        absoluteExpiryMilliseconds = Int64(absolute)
        expiresAtMilliseconds = Int64(expires)
    }

    /// Decodes a session's hash as `HGETALL` returns it (`user`, `created`, `absolute` and `a:<name>` fields);
    /// it expires at its idle deadline, or at its absolute expiry when that comes first.
    init(id: SessionID, hash: [RedisValue], idleDeadlineMilliseconds: Int64) throws(SharedStateError) {
        guard hash.count % 2 == 0 else {
            throw SharedStateError(.unexpectedReply, "session \(id) has a malformed hash")
        }
        var user: SessionUser?
        var created: Int64?
        var absolute: Int64?
        var attributePairs: [RedisValue] = []
        for index in stride(from: 0, to: hash.count, by: 2) {
            switch hash[index].string {
            case "user": user = hash[index + 1].string.flatMap { try? SessionUser($0) }
            case "created": created = hash[index + 1].int.map(Int64.init)
            case "absolute": absolute = hash[index + 1].int.map(Int64.init)
            default: attributePairs += [hash[index], hash[index + 1]]
            }
        }
        guard let user, let created, let absolute else {
            throw SharedStateError(.unexpectedReply, "session \(id) lacks a valid user, created or absolute field")
        }
        self.id = id
        self.user = user
        attributes = try Self.attributes(attributePairs, prefix: "a:")
        createdAtMilliseconds = created
        absoluteExpiryMilliseconds = absolute
        expiresAtMilliseconds = min(idleDeadlineMilliseconds, absolute)
    }

    /// Attribute name → value from name, value pairs, keeping only names with `prefix` and dropping it.
    private static func attributes(_ pairs: [RedisValue], prefix: String) throws(SharedStateError) -> [String: String] {
        guard pairs.count % 2 == 0 else {
            throw SharedStateError(.unexpectedReply, "session attributes come in name, value pairs")
        }
        var attributes: [String: String] = [:]
        for index in stride(from: 0, to: pairs.count, by: 2) {
            guard let name = pairs[index].string, let value = pairs[index + 1].string else {
                throw SharedStateError(.unexpectedReply, "a session attribute is not a string")
            }
            guard name.hasPrefix(prefix) else { continue }
            attributes[String(name.dropFirst(prefix.count))] = value
        }
        return attributes
    }
}
