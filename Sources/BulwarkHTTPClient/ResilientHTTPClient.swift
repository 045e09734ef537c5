import AsyncHTTPClient
import Bulwark
import Logging
import NIOCore
import NIOHTTP1
import Resilience
import Synchronization

/// An HTTP client that sends every request through Bulwark's standard pipeline, with HTTP-aware
/// classification, `Retry-After`, idempotency keys, a shared breaker per authority and a fleet-wide pause.
///
/// ```swift
/// let bulwark = try Bulwark(redisURL: "redis://127.0.0.1:6379")   // run it in your ServiceGroup
/// let client = try ResilientHTTPClient(bulwark: bulwark)
/// let order = try await client.get("https://shop.example.com/orders/42")
/// var request = HTTPClientRequest(url: "https://payments.example.com/charges")
/// request.method = .POST
/// request.headers.add(name: "Idempotency-Key", value: chargeID)   // without it, a POST is never retried
/// request.body = .bytes(ByteBuffer(string: #"{"amount": 1200}"#))
/// let charge = try await client.execute(request)
/// ```
///
/// What a request goes through, outermost first: the authority's bulkhead → total timeout → retry (safe
/// methods, or any method with an idempotency key; its budget per authority) → the authority's pause → its
/// shared breaker → attempt timeout → AsyncHTTPClient. See ``ResilientHTTPClientConfiguration`` for the
/// defaults and ``HTTPFailureClassification`` for what counts as a failure.
///
/// Every status comes back as a ``ResilientHTTPResponse`` (a 503 after the retries gave up, a 404 at once);
/// errors are the policies' `ResilienceError` (breaker open, timeout, a paused authority) or a
/// ``ResilientHTTPClientError``.
public final class ResilientHTTPClient: Sendable {
    /// The configuration, validated.
    public let configuration: ResilientHTTPClientConfiguration
    /// The Bulwark whose shared breakers and Redis the client uses.
    public let bulwark: Bulwark
    private let http: HTTPClient
    private let logger: Logger
    private let onEvent: (@Sendable (ResilientHTTPClientEvent) -> Void)?
    private let routes = Mutex<[HTTPAuthority: AuthorityRoute]>([:])

    /// Creates a client; nothing is sent until the first request.
    /// - Parameters:
    ///   - bulwark: The Bulwark of the service: its shared breakers and its Redis. Run it (in a `ServiceGroup`):
    ///     until it runs, breakers decide locally.
    ///   - configuration: How requests are guarded; the defaults of ``ResilientHTTPClientConfiguration``.
    ///   - httpClient: The AsyncHTTPClient that sends the requests; `HTTPClient.shared` by default. The caller
    ///     keeps the duty to shut down one it created.
    ///   - logger: Where the client logs.
    ///   - onEvent: Told of retries, hedges and pauses (see ``ResilientHTTPClientEvent``).
    /// - Throws: ``ResilientHTTPClientError`` with code ``ResilientHTTPClientError/Code/invalidConfiguration``
    ///   naming the first bad setting.
    public init(
        bulwark: Bulwark,
        configuration: ResilientHTTPClientConfiguration = ResilientHTTPClientConfiguration(),
        httpClient: HTTPClient = .shared,
        logger: Logger = Logger(label: "bulwark.http"),
        onEvent: (@Sendable (ResilientHTTPClientEvent) -> Void)? = nil
    ) throws(ResilientHTTPClientError) {
        try configuration.validate()
        self.configuration = configuration
        self.bulwark = bulwark
        self.http = httpClient
        self.logger = logger
        self.onEvent = onEvent
    }

    /// Sends `request` through the pipeline of its authority.
    ///
    /// Its body is read whole first (at most ``ResilientHTTPClientConfiguration/maxRequestBodyBytes``), so that a
    /// retry or a hedge sends the same bytes; the idempotency key, when present, goes unchanged with every retry.
    /// - Parameter request: The request; its URL must be absolute `http` or `https`.
    /// - Returns: The last attempt's answer, whatever its status.
    /// - Throws: `ResilienceError` for the policies' refusals (breaker open, bulkhead full, timeout,
    ///   a paused authority: `rate-limited` with `retryAfter`), ``ResilientHTTPClientError`` for a bad request or a
    ///   transport failure once the retries stop.
    public func execute(_ request: HTTPClientRequest) async throws -> ResilientHTTPResponse {
        let authority = try HTTPAuthority(url: request.url)
        let route = try route(for: authority)
        var wire = request
        if let body = request.body { wire.body = .bytes(try await buffered(body)) }
        let sent = wire
        let safe = configuration.safeMethods.contains(request.method)
        let keyed = request.headers.first(name: configuration.idempotencyKeyHeader).map { !$0.isEmpty } ?? false
        let deadline = route.callDeadline
        do {
            if safe, let hedging = configuration.hedging, route.hedgingIsOn {
                return try await route.run(retryable: true) { try await self.hedged(sent, route, deadline, hedging) }
            }
            return try await route.run(retryable: safe || keyed) {
                try await route.attempt(within: deadline, onEvent: self.onEvent) { try await self.send(sent, route, deadline) }
            }
        } catch let failed as FailedResponse {
            return failed.response
        }
    }

    /// Sends a `GET`.
    /// - Parameters:
    ///   - url: The absolute URL.
    ///   - headers: The headers.
    /// - Returns: The answer.
    /// - Throws: As ``execute(_:)``.
    public func get(_ url: String, headers: HTTPHeaders = [:]) async throws -> ResilientHTTPResponse {
        var request = HTTPClientRequest(url: url)
        request.headers = headers
        return try await execute(request)
    }

    /// Sends a `POST` with `body`; it is retried only when `idempotencyKey` is given (then with that key each time).
    /// - Parameters:
    ///   - url: The absolute URL.
    ///   - body: The body.
    ///   - idempotencyKey: The key sent in ``ResilientHTTPClientConfiguration/idempotencyKeyHeader``; `nil` for none.
    ///   - headers: More headers.
    /// - Returns: The answer.
    /// - Throws: As ``execute(_:)``.
    public func post(_ url: String, body: ByteBuffer, idempotencyKey: String? = nil, headers: HTTPHeaders = [:]) async throws
        -> ResilientHTTPResponse
    {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = headers
        if let idempotencyKey { request.headers.replaceOrAdd(name: configuration.idempotencyKeyHeader, value: idempotencyKey) }
        request.body = .bytes(body)
        return try await execute(request)
    }

    // MARK: Routes

    private func route(for authority: HTTPAuthority) throws(ResilientHTTPClientError) -> AuthorityRoute {
        let limit = configuration.maxAuthorities
        // Refused before anything is registered: an authority past the limit takes no slot of Bulwark's breakers.
        let (known, full) = routes.withLock { routes in (routes[authority], routes.count >= limit) }
        if let known { return known }
        if full { throw ResilientHTTPClientError(.limitReached, "this client already calls \(limit) authorities (maxAuthorities)") }
        let name = configuration.breakers.name(for: authority)
        var profile = configuration.profile
        if let budget = configuration.retryBudget {
            profile.retry?.budget = RetryBudget(ratio: budget.ratio, minimumRetries: budget.minimumRetries, window: budget.window)
        }
        let pipeline: PolicyPipeline
        do throws(BulwarkError) {
            pipeline = try bulwark.pipeline(named: name, profile: profile, scope: configuration.breakerScope)
        } catch {
            let code: ResilientHTTPClientError.Code =
                error.code == .limitReached ? .limitReached : error.code == .invalidName ? .invalidRequest : .invalidConfiguration
            throw ResilientHTTPClientError(code, "authority \(authority.name): \(error.message)", underlying: error)
        }
        let onEvent = self.onEvent
        var retry: RetryPolicy?
        if let existing = pipeline.retry {
            var retrying = existing.configuration
            // No wait past the total timeout: it has no task of its own to end one (see AuthorityRoute.run).
            if let total = pipeline.totalTimeout?.timeout { retrying.maxElapsed = min(retrying.maxElapsed ?? total, total) }
            do throws(ResilienceError) {
                retry = try RetryPolicy(name: existing.name, configuration: retrying) { event in
                    onEvent?(.retrying(authority: authority, attempt: event.attempt, delay: event.delay, kind: event.kind))
                }
            } catch {
                throw ResilientHTTPClientError(.invalidConfiguration, "authority \(authority.name): retry: \(error.message ?? "\(error.code)")")
            }
        }
        let longestPause = retry?.configuration.maxRetryAfter ?? .seconds(30)
        let fleet = configuration.fleetPause.map {
            AuthorityPause.Fleet(client: bulwark.client, refreshInterval: $0.refreshInterval, longestPause: longestPause, logger: logger)
        }
        let pause = AuthorityPause(authority: authority, keyPrefix: bulwark.configuration.keyPrefix, fleet: fleet, onEvent: onEvent)
        let route = AuthorityRoute(authority: authority, pipeline: pipeline, retry: retry, pause: pause)
        let kept = routes.withLock { routes -> AuthorityRoute? in
            if let raced = routes[authority] { return raced }
            guard routes.count < limit else { return nil }
            routes[authority] = route
            return route
        }
        guard let kept else {
            throw ResilientHTTPClientError(.limitReached, "this client already calls \(limit) authorities (maxAuthorities)")
        }
        return kept
    }

    // MARK: Attempts

    /// Reads a body whole, refusing one over the limit before anything is sent.
    private func buffered(_ body: HTTPClientRequest.Body) async throws -> ByteBuffer {
        let limit = configuration.maxRequestBodyBytes
        var collected: ByteBuffer?
        for try await part in body {
            let total = (collected?.readableBytes ?? 0) + part.readableBytes
            guard total <= limit else {
                throw ResilientHTTPClientError(
                    .requestBodyTooLarge,
                    "the request body is over maxRequestBodyBytes (\(limit) bytes); nothing was sent"
                )
            }
            if collected == nil {
                collected = part
            } else {
                collected?.writeImmutableBuffer(part)
            }
        }
        return collected ?? ByteBuffer()
    }

    /// One request on the wire, within AsyncHTTPClient's deadline (the attempt timeout, never past the call's
    /// `deadline`): a failure status is thrown as a ``FailedResponse`` so that the breaker counts it and the retry
    /// sees its `Retry-After`.
    ///
    /// The deadline ends the wait for the response head; a body that stops arriving is ended by the `HTTPClient`'s
    /// read timeout (90 s for `HTTPClient.shared`). A `TimeoutPolicy` around the body would bound it too, at the
    /// price of a task per request, which W11 measured as most of the client's cost.
    private func send(_ request: HTTPClientRequest, _ route: AuthorityRoute, _ deadline: NIODeadline) async throws -> ResilientHTTPResponse {
        let limit = configuration.maxResponseBodyBytes
        let answer: ResilientHTTPResponse
        do {
            // No logger: AsyncHTTPClient's per-request metadata would cost every request; the client reports through
            // its events instead.
            let response = try await http.execute(request, deadline: route.attemptDeadline(within: deadline))
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: limit)
            } catch is NIOTooManyBytesError {
                throw ResilientHTTPClientError(
                    .responseBodyTooLarge,
                    "the response body from \(route.authority.name) is over maxResponseBodyBytes (\(limit) bytes)"
                )
            }
            answer = ResilientHTTPResponse(status: response.status, headers: response.headers, body: body)
        } catch let error as ResilientHTTPClientError {
            throw error
        } catch {
            let kind = HTTPFailureClassification.kind(of: error)
            if kind == .cancelled { throw CancellationError() }
            let code: ResilientHTTPClientError.Code = kind.isDependencyFailure ? .transport : .invalidRequest
            throw ResilientHTTPClientError(code, "the request to \(route.authority.name) failed (\(kind))", kind: kind, underlying: error)
        }
        let status = Int(answer.status.code)
        guard let kind = HTTPFailureClassification.failureKind(status: status) else { return answer }
        var retryAfter = answer.headers.first(name: "Retry-After").flatMap { RetryAfterHeader.delay($0) }
        if let fleet = configuration.fleetPause, status == 429 || (status == 503 && retryAfter != nil) {
            if retryAfter == nil, fleet.pauseWithoutRetryAfter > .zero { retryAfter = fleet.pauseWithoutRetryAfter }
            let cap = route.retry?.configuration.maxRetryAfter ?? .seconds(30)
            route.pause.pause(for: min(retryAfter ?? .zero, cap))
        }
        throw FailedResponse(response: answer, kind: kind, retryAfter: retryAfter)
    }

    /// Sends copies of a safe request `hedging.delay` apart until one answers without failing; the others are cancelled.
    private func hedged(
        _ request: HTTPClientRequest,
        _ route: AuthorityRoute,
        _ deadline: NIODeadline,
        _ hedging: HedgingConfiguration
    ) async throws -> ResilientHTTPResponse {
        enum Outcome: Sendable {
            case finished(Result<ResilientHTTPResponse, any Error>)
            case due
        }
        let onEvent = self.onEvent
        return try await withThrowingTaskGroup(of: Outcome.self) { group in
            @Sendable func attempt() async -> Outcome {
                do {
                    let response = try await route.attempt(within: deadline, onEvent: onEvent) { try await self.send(request, route, deadline) }
                    return .finished(.success(response))
                } catch {
                    return .finished(.failure(error))
                }
            }
            func timer() {
                group.addTask {
                    try? await Task.sleep(for: hedging.delay)
                    return .due
                }
            }
            group.addTask { await attempt() }
            timer()
            var running = 1
            var copies = 0
            var lastError: (any Error)?
            func launch() -> Bool {
                guard copies < hedging.maxHedgedAttempts, route.budget?.tryWithdraw() ?? true else { return false }
                copies += 1
                running += 1
                onEvent?(.hedging(authority: route.authority, copy: copies))
                group.addTask { await attempt() }
                return true
            }
            while let outcome = try await group.next() {
                switch outcome {
                case .finished(.success(let response)):
                    group.cancelAll()
                    return response
                case .finished(.failure(let error)):
                    running -= 1
                    lastError = error
                    // A failed copy is replaced at once when the dependency failed; a refusal would only repeat.
                    if running == 0, !(ResilienceError.Code(classifying: error).isDependencyFailure && launch()) {
                        group.cancelAll()
                        throw error
                    }
                case .due:
                    if running > 0, launch(), copies < hedging.maxHedgedAttempts { timer() }
                }
            }
            throw lastError ?? CancellationError()
        }
    }
}
