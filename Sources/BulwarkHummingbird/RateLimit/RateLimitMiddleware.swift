import Bulwark
import Hummingbird

/// Limits requests per key — the client's address by default — and tells clients where they stand with
/// `RateLimit-Policy` and `RateLimit` (IETF RateLimit header fields draft, structured fields); past the limit
/// it answers 429 `rate_limited` with `Retry-After`.
///
/// ```swift
/// router.add(middleware: try RateLimitMiddleware<AppContext>(policy: RateLimitPolicy(limit: 100, window: .seconds(60))))
/// // RateLimit-Policy: "default";q=100;w=60
/// // RateLimit: "default";r=99;t=60
/// ```
///
/// Made from a ``RateLimitPolicy``, the limit is **per instance**: each instance counts in its own memory (a
/// sliding window per key, the Resilience `SlidingWindowRateLimiter`), so a fleet of N instances behind a load
/// balancer admits up to N times the limit; counting costs no round trip to Redis. Made from a keyed limiter
/// such as SharedState's `SharedRateLimiter`, the limit is **fleet-wide** (GCRA in Redis, with token batches
/// reserved per instance; see docs/rate-limiting.md), with the same headers.
public struct RateLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The limit per key, as announced in `RateLimit-Policy`.
    public let policy: RateLimitPolicy
    private let key: @Sendable (Request, Context) -> String
    private let limiter: any KeyedRateLimiter

    /// Creates the middleware.
    /// - Parameters:
    ///   - policy: The limit per key.
    ///   - key: The key a request counts against, such as an API key or a user; keys longer than 256 bytes
    ///     are cut there.
    /// - Throws: `BulwarkError` with code `invalidConfiguration` naming the bad policy field.
    public init(policy: RateLimitPolicy, key: @escaping @Sendable (Request, Context) -> String) throws(BulwarkError) {
        do {
            try policy.validate()
        } catch {
            throw BulwarkError(.invalidConfiguration, "policy.\(error.message)", underlying: error)
        }
        self.policy = policy
        self.key = key
        limiter = KeyedRateLimiters(policy: policy)
    }

    /// Creates the middleware over a keyed limiter, such as a fleet-wide `SharedRateLimiter`.
    /// - Parameters:
    ///   - limiter: Decides per key; its limit and window are announced in `RateLimit-Policy`.
    ///   - name: The policy's name in the headers; 1 to 64 characters from `A-Z a-z 0-9 . _ -`.
    ///   - key: The key a request counts against; keys longer than 256 bytes are cut there. A key the limiter
    ///     refuses (malformed) is answered 400 `validation_failed`.
    /// - Throws: `BulwarkError` with code `invalidConfiguration` when the name is malformed or the limiter's
    ///   window is not whole seconds from 1 s to 1 day (the header's `w` is in seconds).
    public init(
        limiter: some KeyedRateLimiter,
        name: String = "default",
        key: @escaping @Sendable (Request, Context) -> String
    ) throws(BulwarkError) {
        let policy = RateLimitPolicy(name: name, limit: limiter.limit, window: limiter.window)
        do {
            try policy.validate()
        } catch {
            throw BulwarkError(.invalidConfiguration, "limiter.\(error.message)", underlying: error)
        }
        self.policy = policy
        self.key = key
        self.limiter = limiter
    }

    /// Counts the request against its key; answers 429 past the limit, else adds the headers to the answer.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let result: RateLimitResult
        do {
            result = try await limiter.acquire(key: String(decoding: key(request, context).utf8.prefix(256), as: UTF8.self), permits: 1)
        } catch let error as SharedStateError where error.code == .invalidName {
            throw APIError(.validation, "the rate-limit key of this request is malformed", underlying: error)
        }
        var headers: HTTPFields = [.rateLimitPolicy: policy.policyField]
        switch result.decision {
        case .allowed:
            headers[.rateLimit] = policy.field(remaining: result.remaining, resetSeconds: Self.seconds(min(result.resetAfter, policy.window)))
            var response = try await next(request, context)
            response.headers.append(contentsOf: headers)
            return response
        case .denied(let retryAfter):
            let seconds = Self.seconds(min(retryAfter, policy.window))
            headers[.rateLimit] = policy.field(remaining: 0, resetSeconds: seconds)
            throw APIError(.rateLimited, "rate limit exceeded", retryAfterSeconds: seconds, headers: headers)
        }
    }

    /// Whole seconds, rounded up, at least 1.
    private static func seconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }
}

extension RateLimitMiddleware where Context: RemoteAddressRequestContext {
    /// Creates the middleware keyed by the client's IP address as the socket sees it (behind a proxy, the
    /// proxy's: pass `key` to read a trusted forwarding header instead).
    /// - Parameter policy: The limit per address.
    /// - Throws: `BulwarkError` with code `invalidConfiguration` naming the bad policy field.
    public init(policy: RateLimitPolicy) throws(BulwarkError) {
        try self.init(policy: policy) { _, context in context.remoteAddress?.ipAddress ?? "unknown" }
    }
}
