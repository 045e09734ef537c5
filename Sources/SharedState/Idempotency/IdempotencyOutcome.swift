/// What ``IdempotencyStore/execute(key:scope:fingerprint:wait:operation:)`` did, and the HTTP status a
/// server answers with.
///
/// The statuses follow the IETF Idempotency-Key draft (draft-ietf-httpapi-idempotency-key-header):
///
/// | Situation                                  | Status |
/// |--------------------------------------------|--------|
/// | key missing where the endpoint requires it | 400 (``missingKeyStatus``) |
/// | key malformed (``IdempotencyKey`` refused it) | 400 (``invalidKeyStatus``) |
/// | ``inProgress``: the first request is still running | 409 Conflict |
/// | ``mismatch``: the key was reused with another payload | 422 Unprocessable Content |
/// | ``executed(_:)`` or ``replayed(_:)`` | the status stored in the result itself |
public enum IdempotencyOutcome: Sendable, Hashable {
    /// This caller ran the operation; its result is stored for replay.
    case executed([UInt8])
    /// An earlier request with this key ran the operation; this is its stored result.
    case replayed([UInt8])
    /// Another request with this key is still running (and this caller did not wait, or waited in vain).
    case inProgress
    /// The key was used for a request with a different fingerprint.
    case mismatch

    /// 400 Bad Request: the endpoint requires an `Idempotency-Key` header and the request has none.
    public static let missingKeyStatus = 400
    /// 400 Bad Request: the `Idempotency-Key` header is malformed.
    public static let invalidKeyStatus = 400

    /// The error status to answer with — 409 for ``inProgress``, 422 for ``mismatch`` — or `nil` when the
    /// result (executed or replayed) is the answer.
    public var httpStatus: Int? {
        switch self {
        case .executed, .replayed: nil
        case .inProgress: 409
        case .mismatch: 422
        }
    }

    /// The result to answer with, executed or replayed; `nil` for a conflict or a mismatch.
    public var result: [UInt8]? {
        switch self {
        case .executed(let result), .replayed(let result): result
        case .inProgress, .mismatch: nil
        }
    }
}
