import Dispatch

/// The one clock of request deadlines: nanoseconds of the system's monotonic clock (`DispatchTime`'s), a
/// plain integer so that a deadline fits in an atomic and a dispatch wait can take it as it is.
enum MonotonicTime {
    /// Now, in nanoseconds.
    static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// `now` plus `duration`, saturating at `UInt64.max` (a deadline that never comes) instead of trapping.
    static func deadline(after duration: Duration, from now: UInt64) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return now }
        let (secondNanos, overflowed) = UInt64(clamping: seconds).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflowed else { return .max }
        let (sum, overflowedAgain) = now.addingReportingOverflow(secondNanos + UInt64(attoseconds / 1_000_000_000))
        return overflowedAgain ? .max : sum
    }
}
