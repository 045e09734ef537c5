import Foundation

/// Bytes shown in a JSON answer: as text when they are UTF-8, else as base64, with which one it is.
struct ReadableBytes {
    /// `utf8` or `base64`.
    let encoding: String
    /// The bytes as text.
    let text: String

    init(_ bytes: [UInt8]) {
        if let text = String(validating: bytes, as: UTF8.self) {
            encoding = "utf8"
            self.text = text
        } else {
            encoding = "base64"
            text = Data(bytes).base64EncodedString()
        }
    }
}
