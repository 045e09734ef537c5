import Resilience

/// Timed loops of guarded calls, shared by the workloads that measure per-call overhead.
///
/// Single calls are timed on every 64th call only, so that reading the clock does not weigh on the rest.
enum CallMeasurement {
    static let sampleEvery = 64

    /// One timed run.
    struct Run {
        var elapsedNanos: UInt64
        var samples: LatencySamples
    }

    /// The bare call: the operation through a closure, as the policies call it, with nothing around it.
    static let bare: @Sendable (Int) async throws -> Int = { value in try await bareCall { operation(value) } }

    /// Makes `calls` calls of `call` from `callers` concurrent tasks.
    static func measure(calls: Int, callers: Int, call: @escaping @Sendable (Int) async throws -> Int) async throws -> Run {
        let clock = SystemClock()
        let perCaller = calls / callers
        let start = clock.now
        let samples = try await withThrowingTaskGroup(of: LatencySamples.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    var samples = LatencySamples(reservingCapacity: perCaller / sampleEvery + 1)
                    var sink = 0
                    for index in 0..<perCaller {
                        if index % sampleEvery == 0 {
                            let before = clock.now
                            sink &+= try await call(index &+ caller)
                            samples.record(before.duration(to: clock.now))
                        } else {
                            sink &+= try await call(index &+ caller)
                        }
                    }
                    blackHole(sink)
                    return samples
                }
            }
            var all = LatencySamples(reservingCapacity: calls / sampleEvery + callers)
            for try await samples in group { all.merge(samples) }
            return all
        }
        let elapsed = start.duration(to: clock.now)
        return Run(
            elapsedNanos: UInt64(max(0, elapsed.components.seconds)) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000),
            samples: samples
        )
    }

    /// The operation every policy guards: returns at once, not inlined so that it is really called.
    @inline(never)
    static func operation(_ value: Int) -> Int {
        value &+ 1
    }
}

/// The bare call's body runner, not inlined so that the closure is really called.
@inline(never)
private func bareCall(_ body: () async throws -> Int) async throws -> Int {
    try await body()
}

/// Keeps a result alive so that the loop is not optimised away.
@inline(never)
private func blackHole(_ value: Int) {
    if value == .min { print(value) }
}
