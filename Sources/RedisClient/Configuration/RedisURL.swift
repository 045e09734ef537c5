/// A parsed Redis URL.
///
/// Accepted forms:
/// - `redis://[[user]:password@]host[:port][/db]` — port 6379 by default, db 0; IPv6 hosts in brackets.
/// - `unix://[[user]:password@]/path/to/socket[?db=N]`
/// - `redis-sentinel://[[user]:password@]host1[:26379],host2[:26379]/masterName[/db]`
///
/// User and password may be percent-encoded. Errors name what is wrong and show the URL with its password
/// replaced by `***`.
public struct RedisURL: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// Where Redis is.
    public var endpoint: RedisEndpoint
    /// The ACL user, if any.
    public var username: String?
    /// The password, if any.
    public var password: String?
    /// The database number.
    public var database: Int

    /// Parses a URL.
    /// - Throws: ``RedisClientError/Code/invalidURL`` with a message naming the faulty part.
    public init(_ url: String) throws(RedisClientError) {
        let redacted = Self.redact(url)
        func fail(_ problem: String) -> RedisClientError {
            RedisClientError(.invalidURL, "\(problem) in Redis URL '\(redacted)'")
        }
        guard let schemeEnd = url.firstRange(of: "://") else {
            throw fail("missing scheme (expected redis://, unix:// or redis-sentinel://)")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        var rest = Substring(url[schemeEnd.upperBound...])

        // Credentials end at the last '@', so an unencoded '@' or '/' in a password still parses and is
        // never mistaken for the host or the path (and so never echoed in an error).
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                let user = userInfo[..<colon]
                username = user.isEmpty ? nil : try Self.percentDecode(user, field: "user name", fail: fail)
                password = try Self.percentDecode(userInfo[userInfo.index(after: colon)...], field: "password", fail: fail)
            } else if !userInfo.isEmpty {
                // `redis://secret@host` is how many clients spell a password without a user.
                password = try Self.percentDecode(userInfo, field: "password", fail: fail)
            }
        }

        switch scheme {
        case "redis":
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            let hostPort = try Self.parseHostPort(rest[..<slash], defaultPort: 6379, fail: fail)
            endpoint = .tcp(host: hostPort.host, port: hostPort.port)
            database = try Self.parseDatabase(slash == rest.endIndex ? "" : rest[rest.index(after: slash)...], fail: fail)
        case "unix":
            var path = rest
            var query: Substring = ""
            if let question = rest.firstIndex(of: "?") {
                path = rest[..<question]
                query = rest[rest.index(after: question)...]
            }
            guard path.hasPrefix("/"), path.count > 1 else { throw fail("missing absolute socket path") }
            endpoint = .unix(path: String(path))
            database = 0
            for item in query.split(separator: "&") where !item.isEmpty {
                let pair = item.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0] == "db" else { throw fail("unknown query parameter '\(pair[0])'") }
                database = try Self.parseDatabase(pair[1], fail: fail)
            }
        case "redis-sentinel":
            let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count >= 2, !parts[1].isEmpty else { throw fail("missing master name after the sentinel list") }
            guard parts.count <= 3 else { throw fail("too many path segments") }
            let sentinels = try parts[0].split(separator: ",", omittingEmptySubsequences: false).map { part throws(RedisClientError) in
                try Self.parseHostPort(part, defaultPort: 26379, fail: fail)
            }
            endpoint = .sentinel(sentinels: sentinels, masterName: String(parts[1]))
            database = try Self.parseDatabase(parts.count == 3 ? parts[2] : "", fail: fail)
        case "rediss":
            throw fail("TLS (rediss://) is not supported: Debian's hiredis 0.14 is built without TLS")
        default:
            throw fail("unsupported scheme '\(Self.redact(scheme))' (expected redis://, unix:// or redis-sentinel://)")
        }
        self.username = username
        // `redis://:@host` names no password: sending `AUTH ""` would only fail.
        self.password = password?.isEmpty == true ? nil : password
    }

    /// The endpoint, database and user, with the password shown as `***`.
    public var description: String {
        "RedisURL(\(endpoint), database: \(database), user: \(username ?? "default"), password: \(password == nil ? "none" : "***"))"
    }

    /// Reflection shows the redacted description, so `dump` and debuggers never print the password.
    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }

    private static func parseHostPort(
        _ text: Substring,
        defaultPort: Int,
        fail: (String) -> RedisClientError
    ) throws(RedisClientError) -> RedisHostAndPort {
        var host: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw fail("unclosed '[' in IPv6 host") }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail("unexpected text after IPv6 host") }
                portText = after.dropFirst()
            }
        } else {
            if text.filter({ $0 == ":" }).count > 1 { throw fail("IPv6 host must be in brackets") }
            if let colon = text.firstIndex(of: ":") {
                host = text[..<colon]
                portText = text[text.index(after: colon)...]
            } else {
                host = text
            }
        }
        guard !host.isEmpty else { throw fail("missing host") }
        guard host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" || $0 == "_" }) else {
            throw fail("invalid character in host '\(host)'")
        }
        var port = defaultPort
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw fail("invalid port '\(portText)' (expected 1-65535)")
            }
            port = value
        }
        return RedisHostAndPort(host: String(host), port: port)
    }

    private static func parseDatabase(_ text: Substring, fail: (String) -> RedisClientError) throws(RedisClientError) -> Int {
        if text.isEmpty { return 0 }
        guard let value = Int(text), value >= 0 else { throw fail("invalid database '\(text)' (expected a number >= 0)") }
        return value
    }

    private static func percentDecode(
        _ text: Substring,
        field: String,
        fail: (String) -> RedisClientError
    ) throws(RedisClientError) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw fail("invalid percent-encoding in the \(field)")
            }
            bytes.append(high << 4 | low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
