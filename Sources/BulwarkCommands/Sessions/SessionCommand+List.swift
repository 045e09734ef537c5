import ArgumentParser
import Foundation
import SharedState

extension SessionCommand {
    /// `bulwark session list --user U`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A user's live sessions, without extending them.",
            discussion: """
                Session ids are bearer secrets: only their first 8 characters are shown unless --full-ids is given.
                Example: bulwark session list --user alice
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "The user whose sessions to list.")
        var user: String

        @Flag(help: "Show whole session ids (secrets: whoever holds one is signed in as the user).")
        var fullIds = false

        func run() async throws {
            try await OperatorRun.perform(options) { context in
                let user = try SessionUser(self.user)
                let sessions = try await context.sessions().sessions(user: user)
                try SessionList(user: user.value, sessions: sessions.map { SessionView($0, fullID: fullIds) }).emit(json: context.json)
            }
        }
    }
}

/// `bulwark session list`'s output.
struct SessionList: CommandOutput {
    /// The user.
    let user: String
    /// The user's live sessions, oldest absolute expiry first.
    let sessions: [SessionView]

    var humanText: String {
        guard !sessions.isEmpty else { return "User '\(user)' has no live session." }
        return TextTable(
            headers: ["SESSION", "CREATED", "EXPIRES", "ABSOLUTE EXPIRY", "ATTRIBUTES"],
            rows: sessions.map { session in
                [
                    session.id ?? session.idPrefix + "…", HumanFormat.time(session.createdAt), HumanFormat.time(session.expiresAt),
                    HumanFormat.time(session.absoluteExpiry), session.attributes.joined(separator: " "),
                ]
            }
        ).rendered
    }
}

/// One session: its id shortened to a handle unless asked for, and only the names of its attributes.
struct SessionView: Encodable {
    /// The whole id, only with `--full-ids`.
    let id: String?
    /// The id's first 8 characters.
    let idPrefix: String
    /// When it was created.
    let createdAt: Date
    /// When it ends unless used again.
    let expiresAt: Date
    /// When it ends whatever its use.
    let absoluteExpiry: Date
    /// The names of its attributes.
    let attributes: [String]

    init(_ session: Session, fullID: Bool) {
        id = fullID ? session.id.value : nil
        idPrefix = String(session.id.value.prefix(8))
        createdAt = HumanFormat.date(milliseconds: session.createdAtMilliseconds)
        expiresAt = HumanFormat.date(milliseconds: session.expiresAtMilliseconds)
        absoluteExpiry = HumanFormat.date(milliseconds: session.absoluteExpiryMilliseconds)
        attributes = session.attributes.keys.sorted()
    }
}
