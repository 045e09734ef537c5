import Foundation

/// What a command prints: JSON with sorted keys for scripts, or readable text for people.
protocol CommandOutput: Encodable {
    /// The text printed without `--json`.
    var humanText: String { get }
}

extension CommandOutput {
    /// Prints the output on standard output, as JSON when `json` is true.
    /// - Throws: ``OperatorError`` with code ``OperatorError/Code/internalError`` if encoding fails.
    func emit(json: Bool) throws(OperatorError) {
        let text: String
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            do {
                text = String(decoding: try encoder.encode(self), as: UTF8.self)
            } catch {
                throw OperatorError(.internalError, "cannot encode the output as JSON: \(error)")
            }
        } else {
            text = humanText
        }
        print(text)
    }
}
