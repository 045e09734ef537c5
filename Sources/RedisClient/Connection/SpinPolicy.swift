/// Whether a connection's thread should spin (poll without sleeping) for its next request and for a lone
/// reply, learnt from how soon work came back recently.
///
/// Spinning saves a wake-up (a few microseconds) per round trip when one caller sends command after command:
/// the next request arrives while the thread still looks. It pays only then. At a moderate rate (a request
/// every millisecond) every spin ends in a sleep anyway, and the polling would be the largest cost of a
/// command; so the thread spins only while the gaps it measures are shorter than ``window``.
struct SpinPolicy {
    /// The longest a thread spins before it sleeps, and the gap below which spinning would have paid.
    static let window: Duration = .microseconds(50)
    private static let maximumScore = 8

    /// Recent gaps that were shorter than the window, minus those that were longer (saturating).
    private var score = SpinPolicy.maximumScore

    /// Whether to spin now.
    var shouldSpin: Bool { score > 0 }

    /// Records how long the thread waited for its next request (spinning, or asleep).
    mutating func recordGap(_ gap: Duration) {
        score = gap < Self.window ? min(score + 1, Self.maximumScore) : max(score - 2, 0)
    }
}
