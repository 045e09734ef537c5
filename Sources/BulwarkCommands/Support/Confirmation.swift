import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The question a destructive bulk command asks before it acts.
///
/// With `--yes` it is not asked. On a terminal, the operator must answer `y` or `yes`. Without a terminal on
/// standard input (a script, a pipe, CI) and without `--yes`, the command refuses, so that nothing is removed
/// by accident.
enum Confirmation {
    /// Asks whether to go on with `action`, such as `invalidate 12 cache entries under prefix 'user:'`.
    /// - Parameter assumeYes: Whether `--yes` was given.
    /// - Throws: ``OperatorError`` with code ``OperatorError/Code/usage`` without a terminal and without
    ///   `--yes`; ``OperatorError/Code/declined`` when the answer is not yes.
    static func require(_ action: String, assumeYes: Bool) async throws(OperatorError) {
        if assumeYes { return }
        guard isatty(STDIN_FILENO) == 1 else {
            throw OperatorError(.usage, "refusing to \(action) without confirmation: standard input is not a terminal; pass --yes")
        }
        StandardError.write("About to \(action). Continue? [y/N] ")
        let answer = await readAnswer()?.trimmingCharacters(in: .whitespaces).lowercased()
        guard answer == "y" || answer == "yes" else {
            throw OperatorError(.declined, "not confirmed; nothing changed")
        }
    }

    /// Reads one line on a Dispatch thread, so that the blocking read never holds a cooperative thread.
    private static func readAnswer() async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: readLine(strippingNewline: true))
            }
        }
    }
}
