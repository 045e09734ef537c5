extension RedisURL {
    /// The URL with its password replaced by `***`, safe for logs and errors however malformed it is: everything
    /// between a scheme-ish start (`redis://`, `redis//`, `redis:/`, `:` or nothing) and the last `@` is taken
    /// as user information, and only the user name before its first `:` is kept.
    ///
    /// `redis://:secret@h` → `redis://:***@h`, `redis//:secret@h` → `redis//:***@h`, `:secret@h` → `:***@h`,
    /// `secret@h` → `***@h`, `redis://:secret` → `redis://:***`. Other text with no `@` comes back unchanged. This is the
    /// one redaction every error and log line that shows a Redis URL goes through.
    public static func redact(_ url: some StringProtocol) -> String {
        guard let at = url.lastIndex(of: "@") else { return redactHostlessPassword(url) }
        let beforeAt = url[..<at]
        let index = schemeEnd(of: beforeAt)
        let start = beforeAt[..<index]
        let userInfo = beforeAt[index...]
        let user = userInfo.firstIndex(of: ":").map { String(userInfo[..<$0]) + ":" } ?? ""
        return String(start) + user + "***" + String(url[at...])
    }

    /// `redis://:secret` (a password whose host was forgotten, so no `@`): an authority that starts with `:` holds
    /// a password, never a port, and is shown as `:***`.
    private static func redactHostlessPassword(_ url: some StringProtocol) -> String {
        let index = schemeEnd(of: url)
        let rest = url[index...]
        guard rest.first == ":", rest.count > 1 else { return String(url) }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        return String(url[..<index]) + ":***" + String(url[authorityEnd...])
    }

    /// Where the scheme-ish start ends: letters, digits, '+', '-', '.', then at most one ':', then any '/' — and only
    /// when a ':' or a '/' follows the letters; without one, the letters are user information (`secret@host`).
    private static func schemeEnd<S: StringProtocol>(of text: S) -> S.Index {
        var index = text.startIndex
        while index < text.endIndex, text[index].isASCII, text[index].isLetter || text[index].isNumber || "+-.".contains(text[index]) {
            index = text.index(after: index)
        }
        let afterLetters = index
        if index < text.endIndex, text[index] == ":" { index = text.index(after: index) }
        while index < text.endIndex, text[index] == "/" { index = text.index(after: index) }
        return index == afterLetters ? text.startIndex : index
    }
}
