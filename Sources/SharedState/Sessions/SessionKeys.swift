/// The Redis keys of the session store.
///
/// - `<prefix>:session:<id>` — hash: `user`, `created`, `absolute` (ms, Redis time) and one `a:<name>` field
///   per attribute; it expires at the absolute expiry.
/// - `<prefix>:session:<id>:idle` — string holding the user; it expires at the idle deadline, which every
///   touch moves. A session is live while both keys exist.
/// - `<prefix>:sessions:expiry` — sorted set: `<id>:<user>` scored by the earliest time the session can
///   have expired (its idle deadline when last indexed, never past the absolute one), which the sweep reads
///   to find sessions that expired.
/// - `<prefix>:sessions:user:<user>` — sorted set: the user's session ids scored by absolute expiry.
///
/// The scripts touch a session, the expiry index and a user's index together, and build the user's index
/// key from the user name stored in the session. Those keys lie in different hash slots, so the store needs
/// one Redis primary (standalone, or with replicas under Sentinel), not Redis Cluster.
struct SessionKeys: Sendable {
    /// The expiry index.
    let expiry: String
    /// What comes before an id in a session key.
    let sessionPrefix: String
    /// What comes before a user name in a user index key.
    let userPrefix: String

    init(prefix: String) {
        expiry = prefix + ":sessions:expiry"
        sessionPrefix = prefix + ":session:"
        userPrefix = prefix + ":sessions:user:"
    }

    /// The hash of one session.
    func session(_ id: SessionID) -> String { sessionPrefix + id.value }

    /// The idle key of one session: the session key and `:idle`, as the scripts build it.
    func idle(_ id: SessionID) -> String { sessionPrefix + id.value + ":idle" }

    /// The index of one user's sessions.
    func user(_ user: SessionUser) -> String { userPrefix + user.value }
}
