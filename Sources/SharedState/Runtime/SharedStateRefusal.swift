import Foundation
import RedisClient
import Synchronization

/// Redis answers but refuses this instance's shared-state calls: what it said, and since when.
///
/// Not an outage: a local fallback would not fix it, so the registry stays shared and reports it instead
/// (``SharedBreakerRegistry/redisRefusal``, the log, the `bulwark_shared_state_refusals_total` counter).
/// A wrong password, a missing ACL permission or a refused database is a misconfiguration an operator must
/// fix; `OOM` is Redis at `maxmemory` refusing writes; a script error is a call Redis cannot run.
public struct SharedStateRefusal: Sendable, Hashable {
    /// What kind of refusal; never `RedisFailureKind.unreachable`.
    public var kind: RedisFailureKind
    /// Redis's own error reply (it never contains a password).
    public var message: String
    /// When this kind of refusal was first seen in the current episode.
    public var since: Date
}

/// The refusals seen recently, by kind; the most severe one is current.
///
/// A misconfiguration or `OOM` lasts until a write succeeds again (``writeSucceeded()``): a read that works
/// while writes are refused proves nothing. A script or command error concerns single calls: it lasts
/// while it recurs and fades ``memory`` after the last one. A kind is announced (logged) when it begins,
/// but not again when it comes back within ``memory`` of its end, so that a refusal that concerns some
/// calls only cannot fill the log by coming and going.
final class RefusalRecord: Sendable {
    private struct Seen {
        var refusal: SharedStateRefusal
        var last: ContinuousClock.Instant
        var ended: ContinuousClock.Instant?
    }

    /// How long a script or command error stays current after it was last seen, and how long after its end
    /// a refusal that comes back is not announced again.
    static let memory: Duration = .seconds(30)
    /// Most severe first: the order in which a kind becomes the current one.
    private static let severity: [RedisFailureKind] = [
        .authenticationFailed, .badDatabase, .permissionDenied, .outOfMemory, .scriptError, .commandRejected,
    ]

    private let seen = Mutex<[RedisFailureKind: Seen]>([:])

    /// Records a refusal; returns whether it deserves a log line (its kind begins, and did not end lately).
    func record(_ kind: RedisFailureKind, message: String) -> Bool {
        let now = ContinuousClock.now
        return seen.withLock { seen in
            let previous = seen[kind]
            let current = previous.map { Self.isCurrent($0, now: now) } ?? false
            let since = current ? previous?.refusal.since ?? Date() : Date()
            seen[kind] = Seen(refusal: SharedStateRefusal(kind: kind, message: message, since: since), last: now)
            guard !current else { return false }
            let endedLately = previous.map { now - ($0.ended ?? $0.last) < Self.memory } ?? false
            return !endedLately
        }
    }

    /// A write succeeded: misconfiguration and `OOM` are over. Returns the refusals that ended.
    func writeSucceeded() -> [SharedStateRefusal] {
        let now = ContinuousClock.now
        return seen.withLock { seen in
            var ended: [SharedStateRefusal] = []
            for (kind, entry) in seen where Self.lastsUntilAWrite(kind) && entry.ended == nil {
                seen[kind]?.ended = now
                ended.append(entry.refusal)
            }
            return ended
        }
    }

    /// The most severe refusal that is current, or `nil`.
    var current: SharedStateRefusal? {
        let now = ContinuousClock.now
        return seen.withLock { seen in
            for kind in Self.severity {
                if let entry = seen[kind], Self.isCurrent(entry, now: now) { return entry.refusal }
            }
            return nil
        }
    }

    private static func isCurrent(_ entry: Seen, now: ContinuousClock.Instant) -> Bool {
        if lastsUntilAWrite(entry.refusal.kind) { return entry.ended == nil }
        return now - entry.last < memory
    }

    private static func lastsUntilAWrite(_ kind: RedisFailureKind) -> Bool {
        kind != .scriptError && kind != .commandRejected
    }
}
