extension HedgingPolicy {
    /// Runs `operation`, hedging it as configured (see ``HedgingPolicy``).
    /// - Parameter operation: The call, which must be idempotent; it receives its attempt number (1 for the
    ///   primary, 2 and on for the hedges) and should honour cancellation.
    /// - Returns: The first value an attempt returned.
    /// - Throws: The primary's failure when every attempt launched failed; `CancellationError` when the caller
    ///   was cancelled and no attempt returned a value.
    public func execute<T: Sendable>(_ operation: @Sendable (Int) async throws -> T) async throws -> T {
        configuration.budget?.recordCall()
        return try await withoutActuallyEscaping(operation) { operation in
            try await withThrowingTaskGroup(of: HedgingSignal<T>.self) { group in
                var run = HedgingRun(maxAttempts: configuration.maxHedgedAttempts + 1)
                launch(operation, in: &group, &run)
                while true {
                    if run.armedDelay == nil, run.mayLaunch {
                        let delay = configuration.delay.provider.hedgingDelay(beforeAttempt: run.launched + 1)
                        if delay == .zero {
                            hedge(operation, in: &group, &run)
                            continue
                        }
                        if delay > .zero {
                            let generation = run.arm()
                            group.addTask { [clock] in
                                try? await clock.sleep(for: delay)
                                return .delayElapsed(generation: generation)
                            }
                        }
                    }
                    guard run.running > 0, let signal = try await group.next() else { break }
                    switch signal {
                    case .delayElapsed(let generation):
                        guard generation == run.armedDelay else { continue }
                        run.armedDelay = nil
                        if run.mayLaunch { hedge(operation, in: &group, &run) }
                    case .finished(let attempt, .success(let value)):
                        group.cancelAll()
                        recordLatencies(winner: attempt, &run)
                        if attempt > 1 { reportWon(attempt) }
                        return value
                    case .finished(let attempt, .failure(let error)):
                        _ = run.noteEnd(of: attempt)
                        if attempt == 1 { run.primaryFailure = error }
                        if Task.isCancelled || !configuration.hedges(error) {
                            run.stopped = true
                        } else if run.mayLaunch {
                            hedge(operation, in: &group, &run)
                        }
                    }
                }
                group.cancelAll()
                if Task.isCancelled { throw CancellationError() }
                throw run.primaryFailure ?? CancellationError()
            }
        }
    }

    /// Launches the next attempt if the budget allows, else stops the launching.
    private func hedge<T: Sendable>(
        _ operation: @escaping @Sendable (Int) async throws -> T,
        in group: inout ThrowingTaskGroup<HedgingSignal<T>, any Error>,
        _ run: inout HedgingRun
    ) {
        if let budget = configuration.budget, !budget.tryWithdraw() {
            run.stopped = true
            reportBudgetExhausted(run.launched + 1)
            return
        }
        reportLaunched(run.launched + 1)
        launch(operation, in: &group, &run)
    }

    private func launch<T: Sendable>(
        _ operation: @escaping @Sendable (Int) async throws -> T,
        in group: inout ThrowingTaskGroup<HedgingSignal<T>, any Error>,
        _ run: inout HedgingRun
    ) {
        let attempt = run.noteLaunch(at: clock.now)
        group.addTask {
            do {
                return .finished(attempt: attempt, .success(try await operation(attempt)))
            } catch {
                return .finished(attempt: attempt, .failure(error))
            }
        }
    }

    /// Tells the delay provider how long the winner took and how long the losers had run when it won.
    private func recordLatencies(winner: Int, _ run: inout HedgingRun) {
        let now = clock.now
        let provider = configuration.delay.provider
        if let start = run.noteEnd(of: winner) { provider.recordLatency(start.duration(to: now)) }
        for case let start? in run.startedAt { provider.recordLatency(start.duration(to: now)) }
    }
}
