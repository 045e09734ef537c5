/// A Swift source's bytes with every comment and string literal blanked to spaces (newlines kept, so line
/// numbers stay), and the code inside string interpolations kept: what is left is the code a parser sees.
///
/// Handles `//` and nested `/* */` comments, `"…"` and multi-line `"""…"""` strings, raw strings
/// (`#"…"#`, `##"…"##`, …), escapes, and interpolations (`\(…)`, `\#(…)` in raw strings) nested to any depth.
/// Regex literals are not recognised (the tests use none).
struct CodeMask {
    /// The source's bytes, comments and string literals blanked.
    private(set) var code: [UInt8]
    private let source: [UInt8]
    private var index = 0

    init(_ text: String) {
        source = Array(text.utf8)
        code = source
        scanCode(inInterpolation: false)
    }

    /// Scans code up to the end of the source or, inside an interpolation, up to the parenthesis that closes it.
    private mutating func scanCode(inInterpolation: Bool) {
        var depth = 0
        while index < source.count {
            switch source[index] {
            case UInt8(ascii: "("):
                depth += 1
                index += 1
            case UInt8(ascii: ")"):
                if inInterpolation && depth == 0 {
                    blank(1)
                    return
                }
                depth -= 1
                index += 1
            case UInt8(ascii: "/") where byte(at: index + 1) == UInt8(ascii: "/"):
                while index < source.count && source[index] != UInt8(ascii: "\n") { blank(1) }
            case UInt8(ascii: "/") where byte(at: index + 1) == UInt8(ascii: "*"):
                scanBlockComment()
            case UInt8(ascii: "#"), UInt8(ascii: "\""):
                scanStringOrSkip()
            default:
                index += 1
            }
        }
    }

    /// Blanks a `/* … */` comment, which may nest.
    private mutating func scanBlockComment() {
        var depth = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "/") && byte(at: index + 1) == UInt8(ascii: "*") {
                depth += 1
                blank(2)
            } else if source[index] == UInt8(ascii: "*") && byte(at: index + 1) == UInt8(ascii: "/") {
                depth -= 1
                blank(2)
                if depth == 0 { return }
            } else {
                blank(1)
            }
        }
    }

    /// At a `#` or `"`: blanks the string literal that starts here, or steps over a `#` that starts none
    /// (as in `#expect`).
    private mutating func scanStringOrSkip() {
        var hashes = 0
        while byte(at: index + hashes) == UInt8(ascii: "#") { hashes += 1 }
        guard byte(at: index + hashes) == UInt8(ascii: "\"") else {
            index += max(hashes, 1)
            return
        }
        let multiline = byte(at: index + hashes + 1) == UInt8(ascii: "\"") && byte(at: index + hashes + 2) == UInt8(ascii: "\"")
        let quotes = multiline ? 3 : 1
        blank(hashes + quotes)
        while index < source.count {
            if source[index] == UInt8(ascii: "\\") && hasHashes(at: index + 1, count: hashes) {
                if byte(at: index + 1 + hashes) == UInt8(ascii: "(") {
                    blank(hashes + 2)
                    scanCode(inInterpolation: true)
                } else {
                    blank(hashes + 2)  // the backslash, its hashes and the escaped character
                }
            } else if closes(at: index, quotes: quotes, hashes: hashes) {
                blank(quotes + hashes)
                return
            } else if !multiline && source[index] == UInt8(ascii: "\n") {
                return  // an unterminated single-line string: not Swift, but never scan past the line
            } else {
                blank(1)
            }
        }
    }

    private func closes(at position: Int, quotes: Int, hashes: Int) -> Bool {
        (0..<quotes).allSatisfy { byte(at: position + $0) == UInt8(ascii: "\"") } && hasHashes(at: position + quotes, count: hashes)
    }

    private func hasHashes(at position: Int, count: Int) -> Bool {
        (0..<count).allSatisfy { byte(at: position + $0) == UInt8(ascii: "#") }
    }

    private func byte(at position: Int) -> UInt8? {
        position < source.count ? source[position] : nil
    }

    /// Blanks `count` bytes from the current one (keeping newlines) and steps past them.
    private mutating func blank(_ count: Int) {
        for _ in 0..<count where index < source.count {
            if code[index] != UInt8(ascii: "\n") { code[index] = UInt8(ascii: " ") }
            index += 1
        }
    }
}
