import Bulwark
import NIOHTTP1
import Resilience

/// How a ``ResilientHTTPClient`` guards its requests; every field has a documented default, and
/// ``validate()`` refuses what cannot work, naming the key, when the client is created.
///
/// | key | default |
/// |---|---|
/// | `profile` | `ResilienceProfile.standard`: bulkhead 1,000 → total timeout 30 s → 3 retries, exponential from 2 s with full jitter, `Retry-After` honoured up to 30 s and never past the deadline → breaker (failure ratio 0.1 over 30 s, at least 100 requests, open 5 s) → attempt timeout 10 s |
/// | `breakers` | ``BreakerNaming/perAuthority`` |
/// | `breakerScope` | `BreakerScope.shared` (every instance's outcomes count) |
/// | `safeMethods` | `GET`, `HEAD`, `OPTIONS`, `TRACE`: retried and hedged without a key |
/// | `idempotencyKeyHeader` | `Idempotency-Key`: with it, any method is retried, with the same key |
/// | `maxRequestBodyBytes` | 1 MiB, buffered so a retry can resend it |
/// | `maxResponseBodyBytes` | 8 MiB |
/// | `retryBudget` | 20 % of requests, at least 10 retries, over 10 s, per authority |
/// | `hedging` | off |
/// | `fleetPause` | on: refreshed every 250 ms, 1 s after a bare 429 |
/// | `maxAuthorities` | 256 |
///
/// ```swift
/// var configuration = ResilientHTTPClientConfiguration()
/// configuration.profile.timeout = .seconds(2)
/// configuration.hedging = HedgingConfiguration(delay: .milliseconds(50))
/// let client = try ResilientHTTPClient(bulwark: bulwark, configuration: configuration)
/// ```
public struct ResilientHTTPClientConfiguration: Sendable {
    /// The policies of every request (retry, breaker, timeouts, bulkhead), in Bulwark's one order. A profile the
    /// `Bulwark` configuration gives the breaker's name overrides it for that authority.
    public var profile: ResilienceProfile
    /// Which shared breaker guards a request.
    public var breakers: BreakerNaming
    /// Whose outcomes trip the breakers.
    public var breakerScope: BreakerScope
    /// Methods retried and hedged without an idempotency key.
    public var safeMethods: [HTTPMethod]
    /// The header whose presence makes any method retryable; its value is sent unchanged with every retry.
    public var idempotencyKeyHeader: String
    /// The largest request body, buffered whole before the first attempt; 1 byte to 1 GiB.
    public var maxRequestBodyBytes: Int
    /// The largest response body read; 1 byte to 1 GiB.
    public var maxResponseBodyBytes: Int
    /// The retry budget of each authority; `nil` for none.
    public var retryBudget: RetryBudgetConfiguration?
    /// Hedging of safe requests; `nil` (the default) for none.
    public var hedging: HedgingConfiguration?
    /// The fleet-wide pause after a `Retry-After` or a 429; `nil` for none (each request honours its own).
    public var fleetPause: FleetPauseConfiguration?
    /// The most authorities one client calls; a request to one more is refused (state per authority is bounded).
    public var maxAuthorities: Int

    /// Creates a configuration; every parameter has the default in the table above.
    /// - Parameters:
    ///   - profile: The policies.
    ///   - breakers: The breaker naming.
    ///   - breakerScope: The breakers' scope.
    ///   - safeMethods: The methods retried without a key.
    ///   - idempotencyKeyHeader: The idempotency key's header.
    ///   - maxRequestBodyBytes: The request body limit.
    ///   - maxResponseBodyBytes: The response body limit.
    ///   - retryBudget: The retry budget.
    ///   - hedging: The hedging.
    ///   - fleetPause: The fleet-wide pause.
    ///   - maxAuthorities: The limit on authorities.
    public init(
        profile: ResilienceProfile = .standard,
        breakers: BreakerNaming = .perAuthority,
        breakerScope: BreakerScope = .shared,
        safeMethods: [HTTPMethod] = [.GET, .HEAD, .OPTIONS, .TRACE],
        idempotencyKeyHeader: String = "Idempotency-Key",
        maxRequestBodyBytes: Int = 1 << 20,
        maxResponseBodyBytes: Int = 8 << 20,
        retryBudget: RetryBudgetConfiguration? = RetryBudgetConfiguration(),
        hedging: HedgingConfiguration? = nil,
        fleetPause: FleetPauseConfiguration? = FleetPauseConfiguration(),
        maxAuthorities: Int = 256
    ) {
        self.profile = profile
        self.breakers = breakers
        self.breakerScope = breakerScope
        self.safeMethods = safeMethods
        self.idempotencyKeyHeader = idempotencyKeyHeader
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.maxResponseBodyBytes = maxResponseBodyBytes
        self.retryBudget = retryBudget
        self.hedging = hedging
        self.fleetPause = fleetPause
        self.maxAuthorities = maxAuthorities
    }

    /// Checks every field and how they fit together.
    /// - Throws: ``ResilientHTTPClientError`` with code ``ResilientHTTPClientError/Code/invalidConfiguration`` whose
    ///   message starts with the key at fault (`profile.timeout`, `hedging.delay`, …).
    public func validate() throws(ResilientHTTPClientError) {
        func fail(_ key: String, _ problem: String) -> ResilientHTTPClientError {
            ResilientHTTPClientError(.invalidConfiguration, "\(key): \(problem)")
        }
        do {
            try profile.validate()
        } catch {
            // The profile's message starts with its own key (`timeout: …`): prefixed, it names the full key.
            throw ResilientHTTPClientError(.invalidConfiguration, "profile.\(error.message ?? "invalid")", underlying: error)
        }
        let gibibyte = 1 << 30
        guard (1...gibibyte).contains(maxRequestBodyBytes) else { throw fail("maxRequestBodyBytes", "must be from 1 to \(gibibyte)") }
        guard (1...gibibyte).contains(maxResponseBodyBytes) else { throw fail("maxResponseBodyBytes", "must be from 1 to \(gibibyte)") }
        guard !idempotencyKeyHeader.isEmpty, idempotencyKeyHeader.utf8.count <= 64, idempotencyKeyHeader.utf8.allSatisfy(Self.isTokenByte) else {
            throw fail("idempotencyKeyHeader", "must be a header name of 1 to 64 token characters")
        }
        guard (1...10_000).contains(maxAuthorities) else { throw fail("maxAuthorities", "must be from 1 to 10000") }
        if case .named(let name) = breakers, (try? BreakerName(name)) == nil {
            throw fail("breakers", "a breaker name must be 1 to 64 characters from A-Z a-z 0-9 . _ -")
        }
        if let budget = retryBudget {
            guard budget.ratio.isFinite, (0...1).contains(budget.ratio) else { throw fail("retryBudget.ratio", "must be from 0 to 1") }
            guard budget.minimumRetries >= 0 else { throw fail("retryBudget.minimumRetries", "must not be negative") }
            guard budget.window > .zero else { throw fail("retryBudget.window", "must be positive") }
        }
        if let hedging {
            guard hedging.delay > .zero else { throw fail("hedging.delay", "must be positive") }
            if let timeout = profile.timeout, hedging.delay >= timeout {
                throw fail("hedging.delay", "must be shorter than the attempt timeout (profile.timeout, \(timeout))")
            }
            guard (1...5).contains(hedging.maxHedgedAttempts) else { throw fail("hedging.maxHedgedAttempts", "must be from 1 to 5") }
        }
        if let pause = fleetPause {
            guard pause.refreshInterval > .zero else { throw fail("fleetPause.refreshInterval", "must be positive") }
            guard pause.pauseWithoutRetryAfter >= .zero else { throw fail("fleetPause.pauseWithoutRetryAfter", "must not be negative") }
        }
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
