import ArgumentParser
import SharedState

extension SessionCommand {
    /// `bulwark session revoke ID | --user U`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End one session by its whole id, or every session of a user.",
            discussion: """
                Revoking a user's sessions counts them first and asks before it ends them; --yes skips the question, \
                and without a terminal it is required.
                Example: bulwark session revoke --user alice --yes
                """
        )

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The whole id of the session to end (64 hexadecimal characters).")
        var id: String?

        @Option(help: "End every session of this user.")
        var user: String?

        @Flag(help: "Do not ask for confirmation (required without a terminal for --user).")
        var yes = false

        func run() async throws {
            try await OperatorRun.perform(options) { context in
                let store = try context.sessions()
                switch (id, user) {
                case (let text?, nil):
                    let id = try SessionID(text)
                    guard try await store.revoke(id) else { throw OperatorError(.notFound, "no live session with id \(id)") }
                    try SessionRevocation(revoked: 1).emit(json: context.json)
                case (nil, let name?):
                    let user = try SessionUser(name)
                    let count = try await store.sessions(user: user).count
                    if count > 0 {
                        try await Confirmation.require("revoke \(count) sessions of user '\(user)'", assumeYes: yes)
                    }
                    let revoked = try await store.revokeAll(user: user)
                    try SessionRevocation(revoked: revoked, user: user.value).emit(json: context.json)
                default:
                    throw OperatorError(.usage, "give a session id or --user U, exactly one of them")
                }
            }
        }
    }
}

/// What `bulwark session revoke` prints.
struct SessionRevocation: CommandOutput {
    /// How many live sessions were ended.
    let revoked: Int
    /// The user, when all of a user's sessions were revoked.
    var user: String?

    var humanText: String {
        if let user { return "Revoked \(revoked) sessions of user '\(user)'; no instance honours them any more." }
        return "Revoked the session; no instance honours it any more."
    }
}
