import Resilience

/// Something the resilient client did for a request, for logs, metrics and tests; handed to the client's
/// `onEvent` on the request's task, so it should return quickly.
///
/// ```swift
/// let client = try ResilientHTTPClient(bulwark: bulwark) { event in
///     if case .retrying(let authority, _, let delay, _) = event { logger.info("retrying \(authority) in \(delay)") }
/// }
/// ```
public enum ResilientHTTPClientEvent: Sendable {
    /// An attempt failed and another follows after `delay` (which honours a `Retry-After`).
    case retrying(authority: HTTPAuthority, attempt: Int, delay: Duration, kind: ResilienceError.Code?)
    /// A further copy of a safe request was sent because the first had not answered (`copy` counts from 1).
    case hedging(authority: HTTPAuthority, copy: Int)
    /// This instance paused the authority for `duration` after a 429 or a 503 with `Retry-After`.
    case paused(authority: HTTPAuthority, duration: Duration)
    /// The pause was stored in Redis for the fleet.
    case pauseShared(authority: HTTPAuthority, duration: Duration)
    /// A pause stored by another instance was read from Redis and applies here for `remaining`.
    case pauseAdopted(authority: HTTPAuthority, remaining: Duration)
    /// A request was refused without being sent because the authority is paused for `remaining`.
    case refusedWhilePaused(authority: HTTPAuthority, remaining: Duration)
}
