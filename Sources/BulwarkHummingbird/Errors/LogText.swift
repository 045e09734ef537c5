/// How text from outside appears in a log line: control characters escaped, long text cut.
enum LogText {
    /// `text` as it may appear in a log line or an error message.
    static func escaped(_ text: some StringProtocol, limit: Int = 256) -> String {
        let scalars = text.unicodeScalars
        let escaped = scalars.prefix(limit).map { scalar in
            scalar.properties.generalCategory == .control || scalar == "\u{7F}" ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }
        return escaped.joined() + (scalars.count > limit ? "…" : "")
    }
}
