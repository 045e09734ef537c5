import ArgumentParser

/// The operators' commands that `bulwark` offers beside `serve`, in the order `--help` lists them.
public enum OperatorCommands {
    /// Every operator command group.
    public static let all: [any ParsableCommand.Type] = []
}
