import Foundation

/// Stored bytes as an operator sees them: text when they are printable UTF-8, else base64, saying which.
public struct DisplayedBytes: Sendable, Hashable {
    /// `utf8` or `base64`.
    public let encoding: String
    /// The bytes as text.
    public let text: String

    /// Shows `bytes`: as text when they are valid UTF-8 without control characters (tab and newlines
    /// allowed), else as base64.
    public init(_ bytes: [UInt8]) {
        if let text = String(validating: bytes, as: UTF8.self), text.unicodeScalars.allSatisfy(Self.isPrintable) {
            encoding = "utf8"
            self.text = text
        } else {
            encoding = "base64"
            text = Data(bytes).base64EncodedString()
        }
    }

    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: true
        case 0..<0x20, 0x7F: false
        default: true
        }
    }
}
