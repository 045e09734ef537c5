/// Whether a connection's thread should spin (poll without sleeping) for its next request and for a lone
/// reply, learnt from how soon work came after each batch recently.
///
/// Spinning saves the thread a sleep and a wake-up per round trip, which on a virtual machine cost more than
/// the round trip itself, but only when the next request (or the reply) comes within ``window``: one caller
/// sending command after command, or many callers. At a moderate rate (a request every millisecond) every
/// spin would end in a sleep anyway and double the CPU of a command, so the thread spins only while the gaps
/// it measured lately were shorter than the window; after a gap longer than that it stops at once, and an
/// idle thread never spins.
///
/// A gap runs from the end of one batch to the moment the thread finds the next request, whether it spun or
/// slept meanwhile.
struct SpinPolicy {
    /// The longest a thread spins before it sleeps, and the gap below which spinning would have paid.
    static let window: Duration = .microseconds(50)
    /// How many short gaps in a row it takes to start spinning.
    static let shortGapsToSpin = 4

    private var shortGapsInARow = 0
    private var batchFinishedAt: ContinuousClock.Instant?

    /// Whether to spin now.
    var shouldSpin: Bool { shortGapsInARow >= Self.shortGapsToSpin }

    /// The thread finished a batch (and starts waiting for the next request) at `instant`.
    mutating func batchFinished(at instant: ContinuousClock.Instant) {
        batchFinishedAt = instant
    }

    /// The thread found the next request at `instant`, after spinning or sleeping since the last batch.
    mutating func workFound(at instant: ContinuousClock.Instant) {
        guard let finished = batchFinishedAt else { return }
        batchFinishedAt = nil
        if finished.duration(to: instant) < Self.window {
            shortGapsInARow = min(shortGapsInARow + 1, Self.shortGapsToSpin)
        } else {
            shortGapsInARow = 0
        }
    }
}
