extension RedisURL {
    /// The URL with its password replaced by `***`, safe for logs and errors however malformed it is: everything
    /// between a scheme-ish start (`redis://`, `redis//`, `redis:/`, `:` or nothing) and the last `@` is taken
    /// as user information, and only the user name before its first `:` is kept.
    ///
    /// `redis://:secret@h` → `redis://:***@h`, `redis//:secret@h` → `redis//:***@h`, `:secret@h` → `:***@h`,
    /// `secret@h` → `***@h`. Text with no `@` holds no user information and comes back unchanged. This is the
    /// one redaction every error and log line that shows a Redis URL goes through.
    public static func redact(_ url: some StringProtocol) -> String {
        guard let at = url.lastIndex(of: "@") else { return String(url) }
        let beforeAt = url[..<at]
        // The scheme-ish start: letters, digits, '+', '-', '.', then at most one ':', then any '/' — and only when
        // a ':' or a '/' follows the letters; without one, the letters are user information (`secret@host`).
        var index = beforeAt.startIndex
        while index < beforeAt.endIndex, beforeAt[index].isASCII, beforeAt[index].isLetter || beforeAt[index].isNumber || "+-.".contains(beforeAt[index]) {
            index = beforeAt.index(after: index)
        }
        let afterLetters = index
        if index < beforeAt.endIndex, beforeAt[index] == ":" { index = beforeAt.index(after: index) }
        while index < beforeAt.endIndex, beforeAt[index] == "/" { index = beforeAt.index(after: index) }
        if index == afterLetters { index = beforeAt.startIndex }
        let start = beforeAt[..<index]
        let userInfo = beforeAt[index...]
        let user = userInfo.firstIndex(of: ":").map { String(userInfo[..<$0]) + ":" } ?? ""
        return String(start) + user + "***" + String(url[at...])
    }
}
