import ArgumentParser
import Foundation

/// The flags of W14 `fleet-scale` (`bulwark-bench W14 --fleet-instances 20 …`).
struct FleetScaleOptions: ParsableArguments {
    @Option(name: .customLong("fleet-instances"), help: "W14: virtual instances in the process.")
    var instances = 20

    @Option(name: .customLong("fleet-breakers"), help: "W14: breakers per instance.")
    var breakers = 50

    @Option(name: .customLong("fleet-rate"), help: "W14: calls per second per breaker per instance.")
    var rate = 100.0

    @Option(name: .customLong("fleet-failure-pct"), help: "W14: percentage of calls that fail in the healthy phase.")
    var failurePercent = 1.0

    @Option(name: .customLong("fleet-warmup-s"), help: "W14: seconds of traffic before the healthy phase is measured.")
    var warmupSeconds = 8

    @Option(name: .customLong("fleet-healthy-s"), help: "W14: seconds the healthy phase is measured.")
    var healthySeconds = 20

    @Option(name: .customLong("fleet-outage-trials"), help: "W14: times one breaker's dependency goes down.")
    var outageTrials = 5

    @Option(
        name: .customLong("fleet-flushing"),
        help: "W14: comma-separated flushing modes, `eager` (every flush interval, each failure at once) and `lazy`."
    )
    var flushing = "eager,lazy"

    func validate() throws {
        guard (1...1_000).contains(instances), (1...10_000).contains(breakers) else {
            throw ValidationError("--fleet-instances must be 1 to 1000 and --fleet-breakers 1 to 10000")
        }
        guard rate > 0, rate <= 10_000, (0...100).contains(failurePercent) else {
            throw ValidationError("--fleet-rate must be in (0, 10000] and --fleet-failure-pct in [0, 100]")
        }
        guard warmupSeconds >= 0, healthySeconds > 0, outageTrials >= 0 else {
            throw ValidationError("W14 durations must be positive and trials not negative")
        }
        guard !modes.isEmpty, modes.allSatisfy({ $0 == "eager" || $0 == "lazy" }) else {
            throw ValidationError("--fleet-flushing takes eager, lazy or both, comma-separated")
        }
    }

    /// The flushing modes to run, in order.
    var modes: [String] {
        flushing.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }
    }
}
