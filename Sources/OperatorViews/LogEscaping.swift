/// Makes text that came from outside safe to write on one log line or one terminal line: control characters
/// (C0, DEL, C1), the Unicode line and paragraph separators and the backslash are written as escapes, so that a
/// name, key, header or path can neither start a forged line nor move a terminal's cursor.
///
/// The service's log handler passes every message and metadata value through it; the command line passes its
/// error lines through it.
public enum LogEscaping {
    /// `text` with `\n`, `\r`, `\t`, `\\` and every other control character as `\u{XX}`.
    public static func escaped(_ text: some StringProtocol) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return String(text) }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\\": result += "\\\\"
            case _ where needsEscape(scalar): result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}" || scalar == "\\"
    }
}
