/// What an admin token must be: long enough not to be guessed, and made only of characters that survive an
/// `Authorization` header unchanged — a token of spaces, or with a leading or trailing space, could never match.
enum AdminToken {
    /// The fewest characters.
    static let minimumLength = 16
    /// The most characters.
    static let maximumLength = 4_096

    /// Whether `token` is 16 to 4096 visible ASCII characters (`!` to `~`).
    static func isAcceptable(_ token: String) -> Bool {
        (minimumLength...maximumLength).contains(token.utf8.count) && token.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }
}
