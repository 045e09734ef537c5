import ArgumentParser

/// What `bulwark switch off` and `bulwark switch on` take: a pipeline and its policies, as typed.
struct SwitchChangeArguments: ParsableArguments {
    @Argument(help: "The pipeline's name.")
    var pipeline: String

    @Argument(help: "The policies: retry, timeout, bulkhead, rate-limiter, hedging, breaker.")
    var policies: [String]
}
