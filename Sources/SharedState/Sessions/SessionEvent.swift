/// Something that happened to a session, as seen by the ``SessionStore`` that made it happen or noticed it.
///
/// Creations, rotations and revocations are reported by the store that performed them. Expiries are
/// reported by the store whose sweep claimed them (``SessionStore/sweep()``): each expiry is claimed by
/// exactly one store of the fleet, however many sweep at once.
public enum SessionEvent: Sendable, Hashable {
    /// A session was created.
    case created(SessionID, user: SessionUser)
    /// A session got a new id; the old one no longer works.
    case rotated(from: SessionID, to: SessionID, user: SessionUser)
    /// A session was revoked, on its own or with all sessions of its user.
    case revoked(SessionID, user: SessionUser)
    /// A session ran out of idle time or reached its absolute lifetime.
    case expired(SessionID, user: SessionUser)
}
