import Resilience
import Testing

/// The one rule for text from outside in logs, terminals and error messages.
@Suite struct LogEscapingTests {
    /// Plain text, accents and emoji pass unchanged.
    @Test func plainTextPassesUnchanged() {
        #expect(LogEscaping.escaped("payments-eu/checkout café 🚀") == "payments-eu/checkout café 🚀")
    }

    /// Line breaks, terminal escapes, DEL, C1 controls and the backslash cannot forge a line or move a cursor.
    @Test func controlCharactersAndTheBackslashAreEscaped() {
        #expect(LogEscaping.escaped("a\nb\rc\td\\e") == #"a\nb\rc\td\\e"#)
        #expect(LogEscaping.escaped("\u{1B}[2J\u{7F}\u{85}") == #"\u{1B}[2J\u{7F}\u{85}"#)
        #expect(LogEscaping.escaped("x\u{2028}y\u{2029}z") == #"x\u{2028}y\u{2029}z"#)
    }

    /// Invisible format characters are escaped: a right-to-left override made `breaker=yap` of
    /// `breaker=\u{202E}pay`, and zero-width characters made two different names look alike. They used to pass
    /// through the middleware's and `Bulwark`'s own escaping.
    @Test func invisibleFormatCharactersAreEscaped() {
        #expect(LogEscaping.escaped("breaker=\u{202E}pay") == #"breaker=\u{202E}pay"#)
        #expect(LogEscaping.escaped("pay\u{200B}ments\u{2066}\u{FEFF}") == #"pay\u{200B}ments\u{2066}\u{FEFF}"#)
    }

    /// A limit cuts long text, marks the cut, and still escapes what it keeps.
    @Test func aLimitCutsLongText() {
        #expect(LogEscaping.escaped(String(repeating: "a", count: 70), limit: 64) == String(repeating: "a", count: 64) + "…")
        #expect(LogEscaping.escaped("\u{202E}abc", limit: 2) == #"\u{202E}a…"#)
        #expect(LogEscaping.escaped("abc", limit: 3) == "abc")
    }
}
