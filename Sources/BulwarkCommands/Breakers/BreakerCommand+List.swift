import ArgumentParser
import SharedState

extension BreakerCommand {
    /// `bulwark breaker list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every registered breaker: its shared state and what each instance last reported.",
            discussion: "Example: bulwark breaker list --json"
        )

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await OperatorRun.perform(options) { context in
                let descriptors = try await context.directory.breakers(client: context.client)
                let live = Set(try await context.directory.liveInstances(client: context.client))
                var breakers: [BreakerView] = []
                for (text, descriptor) in descriptors.sorted(by: { $0.key < $1.key }) {
                    guard let name = try? BreakerName(text) else { continue }
                    breakers.append(try await BreakerView.read(name, descriptor: descriptor, live: live, in: context))
                }
                try BreakerList(breakers: breakers).emit(json: context.json)
            }
        }
    }
}

/// `bulwark breaker list`'s output.
struct BreakerList: CommandOutput {
    let breakers: [BreakerView]

    var humanText: String {
        guard !breakers.isEmpty else { return "No breaker is registered: no instance has used one yet." }
        return TextTable(
            headers: ["BREAKER", "STATE", "GENERATION", "SCOPE", "RULE", "INSTANCES"],
            rows: breakers.map { breaker in
                [
                    breaker.name, breaker.state, String(breaker.generation), breaker.scope,
                    "\(breaker.rule) \(HumanFormat.number(breaker.threshold))",
                    breaker.instances.map { "\($0.id):\($0.state)\($0.live ? "" : " (gone)")" }.joined(separator: " "),
                ]
            }
        ).rendered
    }
}
