import Bulwark

/// A rate limit ``RateLimitMiddleware`` enforces per key: at most ``limit`` requests in any ``window``.
///
/// It is announced to clients as `RateLimit-Policy: "<name>";q=<limit>;w=<window seconds>` (IETF RateLimit
/// header fields draft).
public struct RateLimitPolicy: Sendable {
    /// The policy's name in the headers; 1 to 64 characters from `A-Z a-z 0-9 . _ -`; `default` by default.
    public var name: String
    /// The most requests per key in any window.
    public var limit: Int
    /// The window, in whole seconds (1 s to 1 day).
    public var window: Duration
    /// The most keys tracked at once; past it the key seen least recently is forgotten (its count starts
    /// again). 10,000 by default.
    public var maximumKeys: Int

    /// Creates a policy.
    /// - Parameters:
    ///   - name: The policy's name.
    ///   - limit: Requests per window; at least 1.
    ///   - window: The window; whole seconds, 1 s to 1 day.
    ///   - maximumKeys: The most keys tracked; 1 to 1,000,000.
    public init(name: String = "default", limit: Int, window: Duration, maximumKeys: Int = 10_000) {
        self.name = name
        self.limit = limit
        self.window = window
        self.maximumKeys = maximumKeys
    }

    /// Checks every field.
    /// - Throws: `BulwarkError` with code `invalidConfiguration` whose message starts with the field at fault.
    public func validate() throws(BulwarkError) {
        guard !name.isEmpty, name.utf8.count <= 64,
            name.utf8.allSatisfy({
                $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || ($0 < 0x80 && Character(Unicode.Scalar($0)).isLetter)
                    || ($0 < 0x80 && Character(Unicode.Scalar($0)).isNumber)
            })
        else {
            throw BulwarkError(.invalidConfiguration, "name: 1 to 64 characters from A-Z a-z 0-9 . _ -")
        }
        guard limit >= 1 else {
            throw BulwarkError(.invalidConfiguration, "limit: must be at least 1")
        }
        guard window.components.attoseconds == 0, (1...86_400).contains(window.components.seconds) else {
            throw BulwarkError(.invalidConfiguration, "window: must be whole seconds, 1 s to 1 day")
        }
        guard (1...1_000_000).contains(maximumKeys) else {
            throw BulwarkError(.invalidConfiguration, "maximumKeys: must be 1 to 1000000")
        }
    }

    /// `RateLimit-Policy`'s value.
    var policyField: String { "\"\(name)\";q=\(limit);w=\(window.components.seconds)" }

    /// `RateLimit`'s value: `remaining` requests left, the quota resetting in `resetSeconds`.
    func field(remaining: Int, resetSeconds: Int) -> String { "\"\(name)\";r=\(remaining);t=\(resetSeconds)" }
}
