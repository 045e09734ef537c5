import Foundation

/// Writes to the process's standard error, where messages and progress go so that stdout stays parseable.
enum StandardError {
    /// Writes `line` and a newline.
    static func writeLine(_ line: String) {
        write(line + "\n")
    }

    /// Writes `text` as it is.
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
