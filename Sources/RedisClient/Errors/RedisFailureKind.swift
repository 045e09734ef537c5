/// What a failed Redis call means for whoever depends on Redis: the one place that tells "Redis cannot be
/// reached" from "Redis answers but refuses us".
///
/// Only ``unreachable`` means that Redis is away (refused, timed out, lost, loading, failing over, busy):
/// waiting or a local fallback is the answer. Every other kind is an answer from a live Redis, and no
/// fallback fixes it: ``authenticationFailed``, ``permissionDenied`` and ``badDatabase`` are a
/// misconfiguration an operator must fix; ``outOfMemory`` is Redis at `maxmemory` under `noeviction`
/// (reads still work, writes are refused); ``scriptError`` and ``commandRejected`` are a request Redis
/// cannot run; ``clientClosed`` and ``cancelled`` say nothing about Redis at all.
///
/// ```swift
/// catch let error as RedisClientError where error.failureKind.isUnreachable {
///     enterFallback()
/// }
/// ```
public enum RedisFailureKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Redis cannot be reached now, is too slow (a timeout, a full request queue), or answered that it cannot
    /// serve yet (`LOADING`, `BUSY`, `MASTERDOWN`, `TRYAGAIN`, `CLUSTERDOWN`, `READONLY`, `NOREPLICAS`); a later
    /// attempt may succeed unchanged.
    case unreachable
    /// Redis refused the credentials: a wrong password or user (`WRONGPASS`), none given where one is
    /// required (`NOAUTH`), or a password sent to a Redis that has none.
    case authenticationFailed
    /// The ACL user may not run a command or touch a key or channel (`NOPERM`).
    case permissionDenied
    /// Redis refused the configured database index (`SELECT` beyond `databases`).
    case badDatabase
    /// Redis is at `maxmemory` and refuses writes (`OOM`); reads still work.
    case outOfMemory
    /// A Lua script failed to compile or run.
    case scriptError
    /// Any other refusal of one command (`WRONGTYPE`, `ERR syntax error`, `EXECABORT`, …), or a reply the
    /// caller could not use.
    case commandRejected
    /// The client was shut down.
    case clientClosed
    /// The calling task was cancelled: nothing is known about Redis.
    case cancelled

    /// Whether Redis is away (the only kind a local fallback answers).
    public var isUnreachable: Bool { self == .unreachable }

    /// Whether an operator must change the configuration (credentials, ACL, database) before Redis serves us.
    public var isMisconfiguration: Bool { self == .authenticationFailed || self == .permissionDenied || self == .badDatabase }

    /// The kind's name, such as `outOfMemory`.
    public var description: String { rawValue }

    /// Classifies a client error.
    public init(_ error: RedisClientError) {
        switch error.code {
        case .connectionRefused, .timedOut, .connectionLost, .connectionUnavailable, .masterNotFound, .protocolError, .overloaded:
            self = .unreachable
        case .clientClosed:
            self = .clientClosed
        case .cancelled:
            self = .cancelled
        case .serverError:
            self = error.serverError.map { Self(serverError: $0, duringConnect: error.connectStep) } ?? .commandRejected
        default:
            self = .commandRejected
        }
    }

    /// Classifies an error reply; `duringConnect` names the handshake command Redis refused, if any.
    public init(serverError: RedisServerError, duringConnect: String? = nil) {
        if serverError.isTransient {
            self = .unreachable
            return
        }
        switch serverError.code {
        case "WRONGPASS", "NOAUTH": self = .authenticationFailed
        case "NOPERM": self = .permissionDenied
        case "OOM": self = .outOfMemory
        default:
            switch duringConnect {
            // `-ERR AUTH <password> called without any password configured`, or `-ERR invalid password` (Redis 5).
            case "AUTH"?: self = .authenticationFailed
            case "SELECT"?: self = .badDatabase
            default:
                // Redis names the script in every error raised by or inside one (`… script: <sha>, on
                // @user_script:1.`, `ERR user_script:1: …`, `ERR Error compiling script …`).
                self = serverError.message.contains("script") ? .scriptError : .commandRejected
            }
        }
    }
}

extension RedisClientError {
    /// What this failure means for whoever depends on Redis; see ``RedisFailureKind``.
    public var failureKind: RedisFailureKind { RedisFailureKind(self) }
}
