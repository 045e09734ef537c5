import ArgumentParser
import Resilience
import SharedState

/// `bulwark switch`: the fleet-wide kill switches of the named pipelines.
struct SwitchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switch",
        abstract: "List and flip the kill switches of the named pipelines; every instance obeys within milliseconds.",
        discussion: "Policies: \(PolicyKind.allCases.map(\.rawValue).joined(separator: ", ")). Example: bulwark switch off demo-payments retry",
        subcommands: [List.self, Off.self, On.self]
    )
}

extension SwitchCommand {
    /// `bulwark switch list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every pipeline an instance registered, with its switched-off policies.",
            discussion: "Example: bulwark switch list --json"
        )

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await OperatorRun.perform(options) { context in
                try SwitchList(pipelines: try await context.switches.all()).emit(json: context.json)
            }
        }
    }

    /// `bulwark switch off PIPELINE POLICY…`.
    struct Off: SwitchChangeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Switch policies of a pipeline off on every instance: they pass calls straight through.",
            discussion: "Example: bulwark switch off demo-payments retry hedging"
        )
        static let on = false

        @OptionGroup var options: GlobalOptions
        @OptionGroup var change: SwitchChangeArguments
    }

    /// `bulwark switch on PIPELINE POLICY…`.
    struct On: SwitchChangeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Switch policies of a pipeline back on on every instance.",
            discussion: "Example: bulwark switch on demo-payments retry"
        )
        static let on = true

        @OptionGroup var options: GlobalOptions
        @OptionGroup var change: SwitchChangeArguments
    }
}
