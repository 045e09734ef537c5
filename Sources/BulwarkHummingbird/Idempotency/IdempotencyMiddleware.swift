import Bulwark
import Crypto
import Hummingbird
import Logging
import NIOCore
import Resilience

/// Runs each guarded request once across the fleet, per the IETF Idempotency-Key draft: a retry with the same
/// `Idempotency-Key` gets the first answer again, marked `Idempotent-Replayed: true`, wherever it lands.
///
/// ```swift
/// router.add(middleware: CorrelationMiddleware())
/// router.add(middleware: try IdempotencyMiddleware(bulwark: bulwark))
/// router.post("/orders") { request, context in try await createOrder(request) }
/// ```
///
/// | request | answer |
/// |---|---|
/// | method not guarded (``IdempotencyMiddlewareConfiguration/methods``, POST and PATCH by default) | the handler's, untouched |
/// | no key where required | 400 `validation_failed` |
/// | malformed key (not 1 to 255 printable ASCII characters; an sf-string's quotes are accepted) | 400 `validation_failed` |
/// | body over ``IdempotencyMiddlewareConfiguration/maximumBodySize`` | 413 `payload_too_large` |
/// | first request with the key | the handler's answer, stored (unless 5xx or `Response.notStored()`) |
/// | the same key and request again | the stored status, replayed headers and body, with `Idempotent-Replayed: true` |
/// | the same key while the first request still runs | 409 `conflict` with `Retry-After` |
/// | the same key with another method, path or body | 422 `unprocessable` |
/// | a stored answer that cannot be read | 500 `internal_error` (logged with the key, never the bytes) |
/// | an answer over ``IdempotencyMiddlewareConfiguration/maximumResponseSize`` | 500 `internal_error`, kept: the request ran, and a retry is answered the same instead of running it again |
/// | Redis unreachable | 503 `dependency_unavailable`: the handler does not run (exactly once cannot be promised) |
///
/// The fingerprint is the SHA-256 of the method, the path with its query, and the body. Keys belong to a
/// scope — by default one per set of credentials (``credentialScope(of:)``), so that a key sent by another caller
/// is never answered with this caller's stored answer; pass `scope` to give each tenant or user their own keys. While the
/// handler runs, its lease is renewed every third of `IdempotencyConfiguration.leaseDuration`; an answer
/// the handler throws instead of returning is not stored, and the key is free again for a retry.
public struct IdempotencyMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The store the keys live in.
    public let store: IdempotencyStore
    /// What is guarded and how.
    public let configuration: IdempotencyMiddlewareConfiguration
    private let scope: @Sendable (Request, Context) -> String

    /// Creates the middleware over a store.
    /// - Parameters:
    ///   - store: The idempotency store, such as `Bulwark.idempotency`.
    ///   - configuration: What is guarded and how; the defaults above.
    ///   - scope: Whose keys a request's key is among, such as the tenant or the signed-in user. By default
    ///     ``credentialScope(of:)``: the request's credentials, so that nobody is replayed another caller's answer.
    ///     A scope that is not a valid `IdempotencyScope` is used by its SHA-256.
    /// - Throws: `BulwarkError` with code `invalidConfiguration` naming the bad setting.
    public init(
        store: IdempotencyStore,
        configuration: IdempotencyMiddlewareConfiguration = .init(),
        scope: @escaping @Sendable (Request, Context) -> String = { request, _ in credentialScope(of: request) }
    ) throws(BulwarkError) {
        try configuration.validate()
        self.store = store
        self.configuration = configuration
        self.scope = scope
    }

    /// Creates the middleware over a Bulwark's idempotency store.
    /// - Parameters:
    ///   - bulwark: The Bulwark whose `Bulwark.idempotency` store keeps the keys.
    ///   - configuration: What is guarded and how.
    ///   - scope: Whose keys a request's key is among.
    /// - Throws: `BulwarkError` with code `invalidConfiguration` naming the bad setting.
    public init(
        bulwark: Bulwark,
        configuration: IdempotencyMiddlewareConfiguration = .init(),
        scope: @escaping @Sendable (Request, Context) -> String = { request, _ in credentialScope(of: request) }
    ) throws(BulwarkError) {
        try self.init(store: bulwark.idempotency, configuration: configuration, scope: scope)
    }

    /// Guards the request as the table above says.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard configuration.methods.contains(request.method) else { return try await next(request, context) }
        guard let header = request.headers[configuration.headerName] else {
            guard configuration.requiresKey else { return try await next(request, context) }
            throw APIError(
                .validation,
                "this request needs an \(configuration.headerName.rawName) header",
                details: ["header": .string(configuration.headerName.rawName)]
            )
        }
        let key = try parseKey(header)
        var request = request
        let body = try await request.collectBody(upTo: configuration.maximumBodySize)
        let scope = try Self.validScope(scope(request, context))
        var answer: Response?
        let outcome: IdempotencyOutcome
        do {
            outcome = try await store.execute(key: key, scope: scope, fingerprint: RequestFingerprint.of(request, body: body)) {
                var response = try await next(request, context)
                let unstored = response.headers[NotStoredMark.name] != nil
                response.headers[NotStoredMark.name] = nil
                answer = response
                if unstored || (response.status.code >= 500 && !configuration.storesServerErrors) { throw Unstored() }
                do {
                    let body = try await ResponseCapture.collect(&response, limit: configuration.maximumResponseSize)
                    answer = response
                    return StoredResponse(response: response, body: body, replayedHeaders: configuration.replayedHeaders).encoded
                } catch is ResponseCapture.TooLarge {
                    // The handler ran: the key must not run it again. Its answer cannot be kept, so what is kept (and
                    // answered now and to every retry) says so.
                    var refusal = try APIError(.internal, Self.answerTooLarge).response(from: request, context: context)
                    let body = try await ResponseCapture.collect(&refusal, limit: .max)
                    answer = refusal
                    return StoredResponse(response: refusal, body: body, replayedHeaders: configuration.replayedHeaders).encoded
                }
            }
        } catch is Unstored {
            guard let answer else { throw APIError(.internal, "the handler's answer was lost") }
            return answer
        } catch let error as SharedStateError where error.code == .storeUnavailable && answer != nil {
            // Redis went away after the handler ran: its answer stands (a retry may run it again once the lease
            // expires, as after any lost lease), and the client is not told that nothing happened.
            context.logger.warning(
                "the answer of an idempotent request could not be stored: Redis is unreachable",
                metadata: ["idempotency.key": "\(LogEscaping.escaped(key.value, limit: 256))", "idempotency.scope": "\(scope)"]
            )
            return answer ?? Response(status: .internalServerError)
        }
        switch outcome {
        case .executed:
            guard let answer else { throw APIError(.internal, "the handler's answer was lost") }
            return answer
        case .replayed(let bytes):
            do {
                return try StoredResponse(decoding: bytes).replay
            } catch {
                context.logger.error(
                    "the stored answer of an idempotency key cannot be read",
                    metadata: [
                        "idempotency.key": "\(LogEscaping.escaped(key.value, limit: 256))", "idempotency.scope": "\(scope)",
                        "idempotency.bytes": "\(bytes.count)",
                    ]
                )
                throw APIError(.internal, "the stored answer for this \(configuration.headerName.rawName) cannot be read")
            }
        case .inProgress:
            throw APIError(.conflict, "a request with this \(configuration.headerName.rawName) is still in progress", retryAfterSeconds: 1)
        case .mismatch:
            throw APIError(.unprocessable, "this \(configuration.headerName.rawName) was used for a different request")
        }
    }

    /// The default scope: `default` for a request without credentials, else a digest of its `Authorization` and
    /// `Cookie` headers, so that a key sent with other credentials is another key (never a replay of someone
    /// else's answer). Pass a scope of your own (the signed-in user, the tenant) when credentials rotate.
    /// - Parameter request: The request.
    /// - Returns: The scope's name.
    public static func credentialScope(of request: Request) -> String {
        let authorization = request.headers[.authorization] ?? ""
        let cookie = request.headers[.cookie] ?? ""
        guard !authorization.isEmpty || !cookie.isEmpty else { return "default" }
        let digest = SHA256.hash(data: Array((authorization + "\n" + cookie).utf8))
        return "credentials." + IdempotencyFingerprint(digest: digest).value.prefix(32)
    }

    /// What a key whose answer was too large to keep answers: the request ran, its answer is gone.
    static var answerTooLarge: String { "the request ran, but its answer is larger than this endpoint may store for replay" }

    /// The key of `header`, a plain token or an sf-string in double quotes.
    private func parseKey(_ header: String) throws(APIError) -> IdempotencyKey {
        var value = Substring(header)
        if value.utf8.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            value = value.dropFirst().dropLast()
        }
        do {
            guard !value.contains("\""), !value.contains("\\") else { throw APIError(.validation, "") }
            return try IdempotencyKey(String(value))
        } catch {
            throw APIError(
                .validation,
                "\(configuration.headerName.rawName) must be 1 to 255 printable ASCII characters",
                details: ["header": .string(configuration.headerName.rawName)]
            )
        }
    }

    /// `scope` when it is a valid scope, else `sha256.` and its SHA-256 in hex (which is always valid).
    private static func validScope(_ scope: String) throws(APIError) -> IdempotencyScope {
        if let valid = try? IdempotencyScope(scope) { return valid }
        let hashed = "sha256." + IdempotencyFingerprint(digest: SHA256.hash(data: Array(scope.utf8))).value
        guard let valid = try? IdempotencyScope(hashed) else { throw APIError(.internal, "the request's idempotency scope is unusable") }
        return valid
    }

    /// The answer is sent but not stored: the store releases the lease as it does for a thrown error.
    private struct Unstored: Error {}
}
