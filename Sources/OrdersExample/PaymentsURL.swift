import BulwarkHTTPClient

/// The payments provider's base URL, checked: absolute `http` or `https` with a host, an optional port and path;
/// no user or password, query or fragment. `POST <base>/charges` charges an order.
///
/// ```swift
/// let url = try PaymentsURL("http://payments.internal:9090/v1")   // charges at http://payments.internal:9090/v1/charges
/// ```
public struct PaymentsURL: Sendable, Hashable {
    /// The URL without a trailing `/`.
    public let base: String

    /// Checks `text`.
    /// - Parameter text: The URL.
    /// - Throws: ``OrdersSettingsError`` for `PAYMENTS_URL`, saying what is wrong without repeating the URL.
    public init(_ text: String) throws(OrdersSettingsError) {
        func refuse(_ problem: String) -> OrdersSettingsError {
            OrdersSettingsError("PAYMENTS_URL", problem + " (expected such as http://127.0.0.1:9090)")
        }
        guard !text.isEmpty else { throw refuse("is empty") }
        guard text.utf8.count <= 2_048 else { throw refuse("is longer than 2048 bytes") }
        guard text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value != 0x7F }) else {
            throw refuse("must be ASCII without spaces or control characters")
        }
        do {
            _ = try HTTPAuthority(url: text)
        } catch {
            // The client's message starts with `url: `; the rest says what is wrong without the URL.
            throw refuse(String(error.message.drop { $0 != " " }.dropFirst()))
        }
        let afterScheme = text[(text.firstRange(of: "://")?.upperBound ?? text.startIndex)...]
        guard !afterScheme.prefix(while: { $0 != "/" }).contains("@") else { throw refuse("must not carry a user or password") }
        guard !text.contains("?"), !text.contains("#") else { throw refuse("must not have a query or a fragment") }
        var base = text
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
    }
}
