/// The bounded local buffer of dead letters that could not reach Redis, oldest first.
///
/// Each letter carries a sequence number so that a flush removes exactly the letter it wrote, even when the
/// bound dropped that letter meanwhile.
struct PendingDeadLetters: Sendable {
    /// The most letters kept.
    let limit: Int
    private(set) var letters: [(sequence: UInt64, letter: PendingDeadLetter)] = []
    /// Letters dropped because the buffer was full (or could never be written), since the store was created.
    private(set) var dropped = 0
    private var nextSequence: UInt64 = 0
    /// Whether a flush is under way; only one runs at a time, so that order is kept.
    private(set) var isFlushing = false

    init(limit: Int) {
        self.limit = limit
    }

    var count: Int { letters.count }

    /// Appends a letter, dropping the oldest when over the limit.
    /// - Returns: How many letters were dropped (0 or 1).
    mutating func append(_ letter: PendingDeadLetter) -> Int {
        letters.append((nextSequence, letter))
        nextSequence += 1
        guard letters.count > limit else { return 0 }
        letters.removeFirst()
        dropped += 1
        return 1
    }

    /// Starts a flush unless one runs or nothing waits.
    mutating func beginFlush() -> Bool {
        guard !isFlushing, !letters.isEmpty else { return false }
        isFlushing = true
        return true
    }

    mutating func endFlush() {
        isFlushing = false
    }

    /// The oldest letter with its sequence number.
    var first: (sequence: UInt64, letter: PendingDeadLetter)? { letters.first }

    /// Removes the letter with this sequence number if it is still the oldest.
    mutating func removeFirst(sequence: UInt64) {
        if letters.first?.sequence == sequence { letters.removeFirst() }
    }

    /// Drops the letter with this sequence number, counting it, if it is still the oldest.
    mutating func dropFirst(sequence: UInt64) {
        guard letters.first?.sequence == sequence else { return }
        letters.removeFirst()
        dropped += 1
    }
}
