/// Makes text that came from outside safe to write on one log line, one terminal line or one error message:
/// control characters (C0, DEL, C1), invisible format characters (bidirectional overrides and isolates,
/// zero-width characters, the byte-order mark), the line and paragraph separators and the backslash are
/// written as escapes, so that a name, key, header or path can neither start a forged line, nor move a
/// terminal's cursor, nor make a line read differently from what it holds.
///
/// The one place for this rule: the service's log handler passes every message and metadata value through it,
/// the command line its error lines, the middleware and `Bulwark` the names they put in logs and errors.
public enum LogEscaping {
    /// `text` with `\n`, `\r`, `\t`, `\\` and every other character named above as `\u{XX}`; cut after `limit`
    /// characters (with `…`) when a limit is given.
    public static func escaped(_ text: some StringProtocol, limit: Int? = nil) -> String {
        let scalars = text.unicodeScalars
        let cut = limit.map { scalars.count > max(0, $0) } ?? false
        guard cut || scalars.contains(where: needsEscape) else { return String(text) }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in scalars.prefix(limit.map { max(0, $0) } ?? Int.max) {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\\": result += "\\\\"
            case _ where needsEscape(scalar): result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return cut ? result + "…" : result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\\" }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }
}
