import OperatorViews

/// A duration an operator types: a whole number followed by `s`, `m`, `h` or `d` — `30s`, `15m`, `2h`, `7d`.
struct OperatorDuration: Sendable, Hashable, CustomStringConvertible {
    /// The duration.
    let duration: Duration
    /// The text as typed.
    let description: String

    private static let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]

    /// Parses a duration.
    /// - Parameter option: The option it was given to, for the message.
    /// - Throws: ``OperatorError`` with code ``OperatorError/Code/usage`` for anything else, zero, or more than
    ///   ten years.
    init(_ text: String, option: String) throws(OperatorError) {
        guard let unit = text.last, let seconds = Self.units[unit], let count = Int64(text.dropLast()), count > 0,
            count <= OperatorLimits.longestDurationSeconds / seconds
        else {
            throw OperatorError(
                .usage,
                "\(option) '\(text)' is not a duration: use a positive whole number and s, m, h or d, such as 30s, 15m, 2h or 7d"
            )
        }
        duration = .seconds(count * seconds)
        description = text
    }
}
