/// What the child tasks of one hedged call report to it.
enum HedgingSignal<T: Sendable>: Sendable {
    /// An attempt ended.
    case finished(attempt: Int, Result<T, any Error>)
    /// The delay armed as `generation` elapsed (or its wait was cancelled).
    case delayElapsed(generation: Int)
}

/// The state of one hedged call: which attempts were launched and when, and whether more may be.
struct HedgingRun {
    /// The most attempts, the primary included.
    let maxAttempts: Int
    /// The attempts launched so far.
    var launched = 0
    /// The attempts launched that have not ended.
    var running = 0
    /// When each attempt was launched, by attempt number − 1; `nil` once it ended.
    var startedAt: [ResilienceInstant?] = []
    /// A failure that is not hedged, the budget, or the caller's cancellation ended the launching.
    var stopped = false
    /// The generation of the delay being waited for, if any; a delay armed before the last launch is stale.
    var armedDelay: Int?
    /// The generation of the next delay to arm.
    var nextGeneration = 0
    /// What the primary threw, once it failed.
    var primaryFailure: (any Error)?

    init(maxAttempts: Int) {
        self.maxAttempts = maxAttempts
        startedAt.reserveCapacity(maxAttempts)
    }

    /// Whether another attempt may be launched now.
    var mayLaunch: Bool { !stopped && launched < maxAttempts && !Task.isCancelled }

    /// Notes the launch of the next attempt.
    /// - Returns: Its number.
    mutating func noteLaunch(at instant: ResilienceInstant) -> Int {
        launched += 1
        running += 1
        startedAt.append(instant)
        armedDelay = nil
        return launched
    }

    /// Notes that `attempt` ended.
    /// - Returns: When it was launched.
    mutating func noteEnd(of attempt: Int) -> ResilienceInstant? {
        running -= 1
        defer { startedAt[attempt - 1] = nil }
        return startedAt[attempt - 1]
    }

    /// Arms a delay.
    /// - Returns: Its generation.
    mutating func arm() -> Int {
        nextGeneration += 1
        armedDelay = nextGeneration
        return nextGeneration
    }
}
