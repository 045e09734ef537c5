import ArgumentParser

/// `bulwark session`: users' sessions, shared by every instance.
struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "List a user's sessions and revoke one or all of them; every instance stops honouring them at once.",
        discussion: "Example: bulwark session revoke --user alice --yes",
        subcommands: [List.self, Revoke.self]
    )
}
