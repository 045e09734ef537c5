import Foundation
import RedisClient

/// The field names of a dead letter's stream entry, and the decoding of an entry into a ``DeadLetter``.
enum DeadLetterFields {
    static let payload = "payload"
    static let error = "error"
    static let attempts = "attempts"
    static let firstFailure = "first_failure"
    static let lastFailure = "last_failure"

    /// Decodes one `XRANGE` entry, `[id, [field, value, …]]`.
    /// - Throws: ``SharedStateError/Code/unexpectedReply`` when a field is missing or malformed.
    static func decode(_ entry: RedisValue) throws(SharedStateError) -> DeadLetter {
        guard let parts = entry.array, parts.count == 2, let idText = parts[0].string, let list = parts[1].array else {
            throw SharedStateError(.unexpectedReply, "a dead-letter entry is not [id, fields]")
        }
        let id = try DeadLetterID(idText)
        var values: [String: RedisValue] = [:]
        for index in stride(from: 0, to: list.count - 1, by: 2) {
            if let name = list[index].string { values[name] = list[index + 1] }
        }
        guard let payload = values[payload]?.bytes, let error = values[error]?.string,
            let attempts = values[attempts]?.int, let first = values[firstFailure]?.int, let last = values[lastFailure]?.int
        else {
            throw SharedStateError(.unexpectedReply, "dead-letter entry \(idText) lacks one of its fields")
        }
        return DeadLetter(
            id: id,
            payload: payload,
            error: error,
            attempts: attempts,
            firstFailure: date(milliseconds: Int64(first)),
            lastFailure: date(milliseconds: Int64(last))
        )
    }

    /// Milliseconds since 1970, rounded.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
