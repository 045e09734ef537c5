import Bulwark
import Hummingbird

/// The session cookie ``SessionMiddleware`` reads and writes: safe by default (`Secure`, `HttpOnly`,
/// `SameSite=Lax`, `Path=/`, no `Domain`, no `Max-Age`, so it lasts the browser session while Redis decides
/// when the session ends).
public struct SessionCookieConfiguration: Sendable {
    /// The cookie's name; `bulwark_session` by default.
    public var name: String
    /// Whether browsers send it over HTTPS only; `true` by default. Turn it off only for plain-HTTP development.
    public var secure: Bool
    /// Whether scripts in the page cannot read it; `true` by default.
    public var httpOnly: Bool
    /// Whether browsers send it on cross-site requests; `Lax` by default. `None` requires ``secure``.
    public var sameSite: Cookie.SameSite
    /// The paths it is sent for; `/` by default.
    public var path: String
    /// The hosts it is sent to; `nil` (the host that set it only) by default.
    public var domain: String?

    /// Creates a configuration; every parameter has the default described above.
    /// - Parameters:
    ///   - name: The cookie's name.
    ///   - secure: The `Secure` attribute.
    ///   - httpOnly: The `HttpOnly` attribute.
    ///   - sameSite: The `SameSite` attribute.
    ///   - path: The `Path` attribute.
    ///   - domain: The `Domain` attribute.
    public init(
        name: String = "bulwark_session",
        secure: Bool = true,
        httpOnly: Bool = true,
        sameSite: Cookie.SameSite = .lax,
        path: String = "/",
        domain: String? = nil
    ) {
        self.name = name
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
        self.path = path
        self.domain = domain
    }

    /// Checks every field.
    /// - Throws: `BulwarkError` with code `invalidConfiguration` whose message starts with the field at fault.
    public func validate() throws(BulwarkError) {
        guard (try? Cookie.validated(name: name, value: "x", secure: true, sameSite: .lax)) != nil, name.utf8.count <= 64 else {
            throw BulwarkError(.invalidConfiguration, "name: a cookie name is 1 to 64 characters without separators or spaces")
        }
        guard sameSite != .none || secure else {
            throw BulwarkError(.invalidConfiguration, "sameSite: None requires secure")
        }
        guard path.hasPrefix("/"), Self.isAttributeValue(path) else {
            throw BulwarkError(.invalidConfiguration, "path: must start with / and hold no ';' or control characters")
        }
        if let domain, domain.isEmpty || !Self.isAttributeValue(domain) {
            throw BulwarkError(.invalidConfiguration, "domain: must not be empty or hold ';' or control characters")
        }
    }

    /// The cookie that carries `value`; an empty value with `Max-Age=0` clears it.
    func cookie(_ value: String) -> Cookie {
        Cookie(
            name: name,
            value: value,
            maxAge: value.isEmpty ? 0 : nil,
            domain: domain,
            path: path,
            secure: secure,
            httpOnly: httpOnly,
            sameSite: sameSite
        )
    }

    private static func isAttributeValue(_ text: String) -> Bool {
        text.utf8.count <= 1_024 && text.utf8.allSatisfy { (0x21...0x7E).contains($0) && $0 != UInt8(ascii: ";") }
    }
}
