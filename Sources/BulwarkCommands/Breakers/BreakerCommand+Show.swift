import ArgumentParser
import Foundation
import SharedState

extension BreakerCommand {
    /// `bulwark breaker show NAME`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One breaker in detail: state, break, configuration and every instance's report.",
            discussion: "Example: bulwark breaker show demo-payments"
        )

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The breaker's name.")
        var name: String

        func run() async throws {
            try await OperatorRun.perform(options) { context in
                let (name, descriptor) = try await BreakerCommand.registered(self.name, in: context)
                let live = Set(try await context.directory.liveInstances(client: context.client))
                try BreakerDetail(breaker: try await BreakerView.read(name, descriptor: descriptor, live: live, in: context)).emit(json: context.json)
            }
        }
    }

    /// Validates a name and finds its registration.
    /// - Throws: ``OperatorError`` with code ``OperatorError/Code/usage`` for a malformed name,
    ///   ``OperatorError/Code/notFound`` for a name no instance registered (so a typo writes nothing).
    static func registered(_ text: String, in context: OperatorContext) async throws -> (BreakerName, SharedBreakerDescriptor) {
        let name = try BreakerName(text)
        let known = try await context.directory.breakers(client: context.client)
        guard let descriptor = known[name.value] else {
            let names = known.keys.sorted().joined(separator: ", ")
            throw OperatorError(.notFound, "no instance has registered a breaker named '\(name)' (registered: \(names.isEmpty ? "none" : names))")
        }
        return (name, descriptor)
    }
}

/// `bulwark breaker show`'s output: the breaker itself, as JSON.
struct BreakerDetail: CommandOutput {
    let breaker: BreakerView

    func encode(to encoder: any Encoder) throws {
        try breaker.encode(to: encoder)
    }

    var humanText: String {
        let configuration = breaker.configuration
        var lines = [
            ["breaker", breaker.name],
            ["state", breaker.state],
            ["generation", String(breaker.generation)],
            ["scope", breaker.scope],
            ["rule", "\(breaker.rule) \(HumanFormat.number(breaker.threshold)), at least \(configuration.minimumThroughput) calls"],
            ["window", HumanFormat.duration(.milliseconds(configuration.windowMilliseconds))],
            ["break", HumanFormat.duration(.milliseconds(configuration.breakMilliseconds))],
            ["half-open", "\(configuration.halfOpenPermits) probes, \(configuration.halfOpenSuccesses) to close"],
            ["consecutive opens", String(breaker.consecutiveOpens)],
        ]
        if let openedAt = breaker.openedAt { lines.append(["opened at", HumanFormat.time(openedAt)]) }
        if let openUntil = breaker.openUntil { lines.append(["open until", HumanFormat.time(openUntil)]) }
        let summary = lines.map { $0[0].padding(toLength: 19, withPad: " ", startingAt: 0) + $0[1] }.joined(separator: "\n")
        guard !breaker.instances.isEmpty else { return summary + "\n\nNo instance has reported it yet." }
        let table = TextTable(
            headers: ["INSTANCE", "STATE", "LIVE", "REPORTED", "OK", "FAILED", "TOTAL OK", "TOTAL FAILED", "REJECTED"],
            rows: breaker.instances.map { instance in
                [
                    instance.id, instance.state, instance.live ? "yes" : "no", HumanFormat.time(instance.reportedAt),
                    String(instance.successes), String(instance.failures), String(instance.totals.successes),
                    String(instance.totals.failures), String(instance.totals.rejections),
                ]
            }
        )
        return summary + "\n\n" + table.rendered
    }
}
