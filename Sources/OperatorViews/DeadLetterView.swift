import Foundation
import SharedState

/// One dead letter as operators see it, in the admin API and in `bulwark dlq list --json`.
public struct DeadLetterView: Encodable, Sendable {
    /// The letter's stream id.
    public let id: String
    /// The error of its last failure.
    public let error: String
    /// How many times it was tried.
    public let attempts: Int
    /// When it first failed.
    public let firstFailure: Date
    /// When it last failed.
    public let lastFailure: Date
    /// `utf8` or `base64`.
    public let payloadEncoding: String
    /// The payload as text, or base64 when it is not printable UTF-8.
    public let payload: String

    /// The view of `letter`.
    public init(_ letter: DeadLetter) {
        id = letter.id.description
        error = letter.error
        attempts = letter.attempts
        firstFailure = letter.firstFailure
        lastFailure = letter.lastFailure
        let displayed = DisplayedBytes(letter.payload)
        payloadEncoding = displayed.encoding
        payload = displayed.text
    }
}
