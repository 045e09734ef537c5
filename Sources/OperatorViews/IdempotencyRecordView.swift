import Foundation
import SharedState

/// One idempotency record without the stored result's bytes, in the admin API and in
/// `bulwark idempotency show --json`.
public struct IdempotencyRecordView: Encodable, Sendable {
    /// The idempotency key.
    public let key: String
    /// The scope (tenant or user) it belongs to.
    public let scope: String
    /// `running` or `done`.
    public let state: String
    /// The request fingerprint the first caller gave.
    public let fingerprint: String
    /// When it was claimed.
    public let claimedAt: Date
    /// When it completed; absent while running.
    public let completedAt: Date?
    /// Seconds until Redis forgets it.
    public let expiresInSeconds: Double
    /// The stored result's size in bytes; absent while running.
    public let resultSize: Int?

    /// The view of `record`, stored under `key` in `scope`.
    public init(key: IdempotencyKey, scope: IdempotencyScope, record: IdempotencyRecord) {
        self.key = key.value
        self.scope = scope.value
        state = record.state.rawValue
        fingerprint = record.fingerprint
        claimedAt = Date(timeIntervalSince1970: Double(record.claimedAt) / 1_000)
        completedAt = record.completedAt.map { Date(timeIntervalSince1970: Double($0) / 1_000) }
        expiresInSeconds = Double(record.expiresIn / .milliseconds(1)) / 1_000
        resultSize = record.result?.count
    }
}
