import ArgumentParser
import Resilience
import SharedState

/// An operator's change of one breaker: `open`, `close`, `reset` or `disable`.
///
/// The change is one script in Redis that also publishes it, so every instance applies it to its local view
/// within milliseconds. A name no instance registered is refused before anything is written.
protocol BreakerChangeCommand: AsyncParsableCommand {
    /// The store command the subcommand runs.
    static var change: SharedBreakerStore.Command { get }
    /// The subcommand's name, as the admin API names the action too.
    static var action: String { get }
    /// The options.
    var options: GlobalOptions { get }
    /// The breaker's name as typed.
    var name: String { get }
}

extension BreakerChangeCommand {
    func run() async throws {
        try await OperatorRun.perform(options) { context in
            let (name, _) = try await BreakerCommand.registered(self.name, in: context)
            let snapshot = try await context.breakers.command(Self.change, breaker: name)
            try BreakerChange(breaker: name.value, action: Self.action, state: snapshot.state.description, generation: snapshot.generation)
                .emit(json: context.json)
        }
    }
}

extension BreakerCommand {
    /// `bulwark breaker open NAME`.
    struct Open: BreakerChangeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Force a breaker open (isolated): every instance rejects calls through it until it is closed or reset.",
            discussion: "Example: bulwark breaker open demo-payments"
        )
        static let change = SharedBreakerStore.Command.isolate
        static let action = "open"

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The breaker's name.")
        var name: String
    }

    /// `bulwark breaker close NAME`.
    struct Close: BreakerChangeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a breaker, forgetting its failures: calls pass again on every instance.",
            discussion: "Example: bulwark breaker close demo-payments"
        )
        static let change = SharedBreakerStore.Command.close
        static let action = "close"

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The breaker's name.")
        var name: String
    }

    /// `bulwark breaker reset NAME`.
    struct Reset: BreakerChangeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reset a breaker to a fresh closed state on every instance (after open or disable).",
            discussion: "Example: bulwark breaker reset demo-payments"
        )
        static let change = SharedBreakerStore.Command.reset
        static let action = "reset"

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The breaker's name.")
        var name: String
    }

    /// `bulwark breaker disable NAME`.
    struct Disable: BreakerChangeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a breaker: every instance lets all calls through and it never trips, until reset.",
            discussion: "Example: bulwark breaker disable demo-catalog"
        )
        static let change = SharedBreakerStore.Command.disable
        static let action = "disable"

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The breaker's name.")
        var name: String
    }
}

/// What a breaker change prints; the same fields as the admin API's answer.
struct BreakerChange: CommandOutput {
    /// The breaker.
    let breaker: String
    /// `open`, `close`, `reset` or `disable`.
    let action: String
    /// Its shared state now.
    let state: String
    /// Its generation now.
    let generation: UInt64

    var humanText: String {
        let effect =
            switch state {
            case "isolated": "every instance rejects calls through it"
            case "disabled": "every instance lets all calls through"
            default: "calls pass again on every instance"
            }
        return "Breaker '\(breaker)' is \(state) (generation \(generation)): \(effect)."
    }
}
