import Foundation

/// How times and durations read in human output.
enum HumanFormat {
    /// A point in time as ISO 8601 in UTC, to the second: `2026-12-01T19:30:00Z`.
    static func time(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// A point in Redis time (milliseconds since 1970) as ``time(_:)``.
    static func time(milliseconds: Int64) -> String {
        time(date(milliseconds: milliseconds))
    }

    /// Milliseconds since 1970 as a date.
    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1_000)
    }

    /// A duration in the two largest units that matter: `350ms`, `45s`, `4m 12s`, `2h 05m`, `3d 4h`.
    static func duration(_ duration: Duration) -> String {
        let milliseconds = max(0, duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000)
        let seconds = milliseconds / 1_000
        switch seconds {
        case 0: return "\(milliseconds)ms"
        case ..<60: return "\(seconds)s"
        case ..<3_600: return "\(seconds / 60)m \(twoDigits(seconds % 60))s"
        case ..<86_400: return "\(seconds / 3_600)h \(twoDigits(seconds % 3_600 / 60))m"
        default: return "\(seconds / 86_400)d \(seconds % 86_400 / 3_600)h"
        }
    }

    /// Text on one line, shortened to `limit` characters with an ellipsis, for table cells.
    static func abbreviated(_ text: String, to limit: Int) -> String {
        let line = text.replacingOccurrences(of: "\n", with: "\\n")
        return line.count <= limit ? line : String(line.prefix(limit - 1)) + "…"
    }

    /// A number without a needless fraction: `5`, `0.5`.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    /// A duration in seconds, with millisecond precision, for JSON.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds / 1_000_000_000_000_000) / 1_000
    }
}
