/// Bounds on what operators may ask for, the same through the admin API and the command line.
public enum OperatorLimits {
    /// The longest duration an operator may give — a purge's age, a retry's timeout: ten years, in seconds.
    /// Anything larger is refused before any arithmetic, so that no product of it can overflow.
    public static let longestDurationSeconds: Int64 = 3_650 * 86_400
}
