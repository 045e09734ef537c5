import ArgumentParser
import Resilience
import SharedState

/// A change of kill switches: `off` or `on`, one script in Redis that also publishes it. A pipeline no instance
/// registered, or a policy that does not exist, is refused before anything is written.
protocol SwitchChangeCommand: AsyncParsableCommand {
    /// Whether the subcommand switches policies on.
    static var on: Bool { get }
    /// The options.
    var options: GlobalOptions { get }
    /// The pipeline and the policies, as typed.
    var change: SwitchChangeArguments { get }
}

extension SwitchChangeCommand {
    func run() async throws {
        try await OperatorRun.perform(options) { context in
            let name = try PipelineName(change.pipeline)
            var kinds: [PolicyKind] = []
            for policy in change.policies {
                guard let kind = PolicyKind(rawValue: policy) else {
                    throw OperatorError(
                        .notFound,
                        "unknown policy '\(policy)': one of \(PolicyKind.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                kinds.append(kind)
            }
            guard !kinds.isEmpty else { throw OperatorError(.usage, "name at least one policy") }
            guard let state = try await context.switches.change(name, kinds, on: Self.on) else {
                throw OperatorError(.notFound, "no instance has registered a pipeline named '\(name)'")
            }
            try SwitchList(pipelines: [state]).emit(json: context.json)
        }
    }
}

/// What `bulwark switch` prints: pipelines with their switched-off policies.
struct SwitchList: CommandOutput {
    let pipelines: [PolicySwitchState]

    var humanText: String {
        guard !pipelines.isEmpty else { return "No pipeline is registered: no instance has made one yet." }
        return TextTable(
            headers: ["PIPELINE", "SWITCHED OFF"],
            rows: pipelines.map { [$0.pipeline, $0.off.isEmpty ? "-" : $0.off.joined(separator: " ")] }
        ).rendered
    }
}
