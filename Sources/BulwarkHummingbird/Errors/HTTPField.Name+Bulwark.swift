import HTTPTypes

extension HTTPField.Name {
    /// `X-Correlation-ID`: read from requests, echoed on every response.
    public static let correlationID = HTTPField.Name("X-Correlation-ID")!
    /// `Idempotency-Key`: the client's key for an unsafe request (IETF Idempotency-Key draft).
    public static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// `Idempotent-Replayed: true`: the response is the stored answer of an earlier request with the same key.
    public static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
    /// `RateLimit`: the quota left to this client (IETF RateLimit header fields draft).
    public static let rateLimit = HTTPField.Name("RateLimit")!
    /// `RateLimit-Policy`: the quota policy that applies (IETF RateLimit header fields draft).
    public static let rateLimitPolicy = HTTPField.Name("RateLimit-Policy")!
}
