import ArgumentParser

/// The operators' commands that `bulwark` offers beside `serve`, in the order `--help` lists them.
///
/// Each talks to Redis directly, so it works with no service running, and changes state through the shared
/// stores, which publish on the channels every instance listens to.
public enum OperatorCommands {
    /// Every operator command group.
    public static let all: [any ParsableCommand.Type] = [
        BreakerCommand.self,
        CacheCommand.self,
        SessionCommand.self,
        IdempotencyCommand.self,
        DeadLetterCommand.self,
        InstancesCommand.self,
        SwitchCommand.self,
    ]
}
