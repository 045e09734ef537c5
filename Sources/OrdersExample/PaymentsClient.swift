import AsyncHTTPClient
import Bulwark
import BulwarkHTTPClient
import BulwarkHummingbird
import Foundation
import NIOCore
import NIOHTTP1

/// The payments provider, called through `ResilientHTTPClient`: `POST <url>/charges` for every order.
///
/// The provider's authority has one circuit breaker for the whole fleet (the client's default, one per scheme,
/// host and port): once calls through one instance open it, every instance answers `503 breaker_open` with
/// `Retry-After` without calling the provider. The calls use ``profile``, which the `Bulwark` configuration can
/// override under the breaker's name (``breakerName``).
///
/// ```swift
/// let payments = try PaymentsClient(url: try PaymentsURL("http://payments.internal:8080"), bulwark: bulwark)
/// ```
public struct PaymentsClient: Sendable {
    /// The policies of a charge: `external-api` (3 retries, exponential from 500 ms; the breaker opens after 3
    /// failures in a row, for 60 s; attempt timeout 10 s, total 30 s; 5 charges at once).
    public static let profile = ResilienceProfile.externalAPI

    private let client: ResilientHTTPClient
    private let chargesURL: String

    /// The name of the provider's shared breaker, such as `http.http.127.0.0.1.9090`.
    public let breakerName: String

    /// Creates the client of the provider at `url`; nothing is sent until the first charge.
    /// - Parameters:
    ///   - url: The provider's base URL.
    ///   - bulwark: The instance's Bulwark, whose shared breakers guard the calls.
    ///   - httpClient: The AsyncHTTPClient that sends them; `HTTPClient.shared` by default.
    /// - Throws: `ResilientHTTPClientError` when the client's settings are refused.
    public init(url: PaymentsURL, bulwark: Bulwark, httpClient: HTTPClient = .shared) throws(ResilientHTTPClientError) {
        client = try ResilientHTTPClient(
            bulwark: bulwark,
            configuration: ResilientHTTPClientConfiguration(profile: Self.profile),
            httpClient: httpClient
        )
        chargesURL = url.base + "/charges"
        breakerName = try HTTPAuthority(url: url.base).name
    }

    /// The state of the provider's breaker as this instance sees it; `nil` before its first charge.
    public var breakerState: CircuitBreakerState? {
        client.bulwark.breakers.breakers.first { $0.name == breakerName }?.state
    }

    /// Charges `user` for an order.
    ///
    /// `key` goes to the provider as its `Idempotency-Key`: the client's retries resend it, and so does a retry of
    /// the same order after an answer that was not stored (a 5xx), so the provider charges once.
    /// - Throws: `ResilienceError` when the breaker is open (the envelope's `breaker_open`, with `Retry-After`);
    ///   `APIError` when the provider cannot be reached or fails (503), or refuses the charge (500: this app
    ///   sent something it should not have).
    func charge(user: String, sku: String, quantity: Int, key: String) async throws {
        let body = try JSONEncoder().encode(Charge(user: user, sku: sku, quantity: quantity))
        let response: ResilientHTTPResponse
        do {
            response = try await client.post(
                chargesURL,
                body: ByteBuffer(bytes: body),
                idempotencyKey: key,
                headers: ["Content-Type": "application/json"]
            )
        } catch let error as ResilientHTTPClientError {
            throw APIError(.unavailable, "the payments provider cannot be reached", underlying: error)
        }
        switch response.status.code {
        case 200..<300: return
        // What the client does not count as the provider failing: this app sent a charge the provider refuses.
        case 400..<500 where response.status.code != 408 && response.status.code != 429:
            throw APIError(.internal, "the payments provider refused the charge (\(response.status.code))")
        default:
            throw APIError(.unavailable, "the payments provider is unavailable", retryAfterSeconds: 1)
        }
    }

    private struct Charge: Encodable {
        var user: String
        var sku: String
        var quantity: Int
    }
}
