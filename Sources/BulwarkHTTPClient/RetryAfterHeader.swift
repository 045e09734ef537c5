import Foundation

/// Reads a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds (`120`) or an HTTP-date in the preferred
/// IMF-fixdate form (`Wed, 21 Oct 2015 07:28:00 GMT`).
///
/// ```swift
/// RetryAfterHeader.delay("120", now: Date())   // 120 s
/// ```
public enum RetryAfterHeader {
    /// The delay a `Retry-After` value asks for.
    ///
    /// A date in the past is a zero delay; a value that is neither form (including the obsolete RFC 850 and
    /// asctime dates) is ignored (`nil`); a number too large to represent is taken as 10⁹ s, so that the
    /// client's cap applies to it like to any long delay.
    /// - Parameters:
    ///   - value: The header's value.
    ///   - now: The wall-clock time an HTTP-date is measured from.
    /// - Returns: The delay, or `nil` when the value is not understood.
    public static func delay(_ value: some StringProtocol, now: Date = Date()) -> Duration? {
        let text = value.utf8.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let trimmed = text.reversed().drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.reversed()
        let bytes = Array(trimmed)
        guard !bytes.isEmpty, bytes.count <= 64 else { return nil }
        if bytes.allSatisfy(isDigit) {
            guard bytes.count <= 9 else { return .seconds(1_000_000_000) }
            return .seconds(bytes.reduce(0) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) })
        }
        guard let date = imfFixdate(bytes) else { return nil }
        let seconds = date - now.timeIntervalSince1970
        return seconds <= 0 ? .zero : .milliseconds(Int64(seconds * 1000))
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Seconds since 1970 of an IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT` (29 bytes exactly).
    static func imfFixdate(_ bytes: [UInt8]) -> Double? {
        guard bytes.count == 29, bytes[3] == UInt8(ascii: ","), bytes[4] == UInt8(ascii: " "), bytes[7] == UInt8(ascii: " "),
            bytes[11] == UInt8(ascii: " "), bytes[16] == UInt8(ascii: " "), bytes[19] == UInt8(ascii: ":"),
            bytes[22] == UInt8(ascii: ":"), bytes[25] == UInt8(ascii: " "), Array(bytes[26...]) == Array("GMT".utf8)
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            let digits = bytes[range]
            guard digits.allSatisfy(isDigit) else { return nil }
            return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map { Array($0.utf8) }
        guard let monthIndex = months.firstIndex(of: Array(bytes[8..<11])), let day = number(5..<7), let year = number(12..<16),
            let hour = number(17..<19), let minute = number(20..<22), let second = number(23..<25),
            (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let days = daysFromCivil(year: year, month: monthIndex + 1, day: day)
        return Double(days * 86_400 + hour * 3_600 + minute * 60 + second)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
