/// The failing calls of one shared breaker that wait for their failure's report (see
/// `CircuitBreakerAuthority.reportFailure(for:)`), by the flush that will carry it.
///
/// A failure signals a flush as it is recorded, so that flush may drain it before its call decides whether to
/// wait. The call then waits for the flush under way rather than for the next one: with lazy flushing nothing
/// else would be pending, and the call would return before the answer its failure caused was applied.
struct FailureReportWaiters {
    /// Calls whose failures are still pending: the next flush answers them.
    var next: [BoundedWait] = []
    /// Calls whose failures the flush under way drained; `nil` when no flush carrying failures is under way.
    var drained: [BoundedWait]?

    /// Takes every waiting call, so that a stopping worker or a fallback releases them all.
    mutating func takeAll() -> [BoundedWait] {
        defer {
            next = []
            drained = nil
        }
        return next + (drained ?? [])
    }
}
