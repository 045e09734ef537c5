/// How names from outside appear in messages: control characters escaped, long names cut.
enum BulwarkName {
    /// `name` as it may appear in an error or a log line.
    static func display(_ name: String) -> String {
        let escaped = name.unicodeScalars.prefix(64).map { scalar in
            scalar.properties.generalCategory == .control || scalar == "\u{7F}" ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }
        return escaped.joined() + (name.unicodeScalars.count > 64 ? "…" : "")
    }
}
