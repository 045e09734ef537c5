/// Where a request goes: scheme, host and port, the unit that gets its own circuit breaker and its own
/// fleet-wide `Retry-After` pause.
///
/// ```swift
/// let authority = try HTTPAuthority(url: "https://api.example.com/v1/orders")
/// authority.name   // "http.https.api.example.com.443"
/// ```
public struct HTTPAuthority: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`, lowercased.
    public let scheme: String
    /// The host, lowercased; an IPv6 address without its brackets.
    public let host: String
    /// The port, explicit or the scheme's default (80, 443).
    public let port: Int

    /// The authority of an absolute `http` or `https` URL.
    /// - Parameter url: The request's URL.
    /// - Throws: ``ResilientHTTPClientError`` with code ``ResilientHTTPClientError/Code/invalidRequest`` naming
    ///   what is wrong (the URL itself is not repeated: it may carry credentials).
    public init(url: String) throws(ResilientHTTPClientError) {
        func refuse(_ problem: String) -> ResilientHTTPClientError {
            ResilientHTTPClientError(.invalidRequest, "url: \(problem)")
        }
        guard let colon = url.firstIndex(of: ":"), url[colon...].hasPrefix("://") else {
            throw refuse("expected an absolute http or https URL")
        }
        let scheme = url[..<colon].lowercased()
        let defaultPort: Int
        switch scheme {
        case "http": defaultPort = 80
        case "https": defaultPort = 443
        default: throw refuse("the scheme must be http or https")
        }
        let rest = url[url.index(colon, offsetBy: 3)...]
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw refuse("an IPv6 host lacks its closing bracket") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw refuse("unexpected characters after the IPv6 host") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw refuse("the host is empty") }
        guard host.utf8.count <= 253 else { throw refuse("the host is longer than 253 characters") }
        var port = defaultPort
        if let portText {
            guard let parsed = Int(portText), (1...65_535).contains(parsed), portText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw refuse("the port must be a number from 1 to 65535")
            }
            port = parsed
        }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
    }

    /// `scheme://host:port`, with brackets around an IPv6 host.
    public var description: String {
        "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// The authority's name for breakers and Redis keys: `http.<scheme>.<host>.<port>`, such as
    /// `http.https.api.example.com.443`.
    ///
    /// Always a valid breaker name (1 to 64 characters from `A-Z a-z 0-9 . _ -`) and the same on every
    /// instance: a host with other characters (an IPv6 address) or a name over 64 characters is written with
    /// those characters replaced by `_`, cut, and followed by `-` and 16 hex digits of a fixed hash (FNV-1a) of
    /// ``description``, so two authorities never share a name by accident.
    public var name: String {
        let plain = "http.\(scheme).\(host).\(port)"
        let allowed = plain.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default: false
            }
        }
        if allowed && plain.utf8.count <= 64 { return plain }
        let cleaned = String(
            decoding: plain.utf8.map { byte -> UInt8 in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"):
                    byte
                default: UInt8(ascii: "_")
                }
            }.prefix(64 - 17),
            as: UTF8.self
        )
        return cleaned + "-" + Self.hex(Self.fnv1a(description))
    }

    /// FNV-1a (64 bits): fixed across processes and platforms, unlike Swift's seeded `Hasher`.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
