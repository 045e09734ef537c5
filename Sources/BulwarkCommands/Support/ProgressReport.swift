import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Progress of a long bulk operation, on standard error and only when it is a terminal, so that logs and
/// pipes stay clean: `invalidating: 1500 of 4200`, rewritten in place.
struct ProgressReport: Sendable {
    /// What is being done, such as `invalidating`.
    let label: String
    /// How many items there are in all, as counted before.
    let total: Int
    /// Whether anything is written.
    let enabled: Bool

    /// Creates a report that writes when standard error is a terminal.
    init(_ label: String, total: Int) {
        self.label = label
        self.total = total
        enabled = isatty(STDERR_FILENO) == 1
    }

    /// Shows how many are done.
    func update(_ done: Int) {
        guard enabled else { return }
        StandardError.write("\r\(label): \(done) of \(total)")
    }

    /// Ends the progress line.
    func finish() {
        guard enabled else { return }
        StandardError.write("\n")
    }
}
