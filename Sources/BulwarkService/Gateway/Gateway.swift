import AsyncHTTPClient
import Bulwark
import BulwarkHTTPClient
import Hummingbird
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// The gateway: takes any application's outbound HTTP calls and sends each through its route's policies with
/// the resilient HTTP client, one shared (fleet-wide) breaker per route's upstream.
///
/// It is a `Service`: run it with its `Bulwark` (the gateway application does, see `GatewayApplication`); a
/// graceful shutdown closes its HTTP client once the server has finished its requests.
public final class Gateway: Service, Sendable {
    /// The routes and limits.
    public let configuration: GatewayConfiguration
    /// One client per upstream of each route, by route name; in the routes' order.
    private let clients: [String: [ResilientHTTPClient]]
    private let http: HTTPClient

    /// The methods forwarded; others (`CONNECT`, `TRACE`, anything else) are answered 405.
    static let forwardedMethods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .delete, .patch, .options]

    /// Creates the gateway's clients; nothing is sent until a request comes.
    /// - Parameters:
    ///   - configuration: The routes, already checked.
    ///   - bulwark: The Bulwark whose shared breakers and Redis the routes use.
    ///   - logger: Where the clients log.
    /// - Throws: ``ServiceConfigurationError`` naming the route whose policies cannot be built.
    public init(configuration: GatewayConfiguration, bulwark: Bulwark, logger: Logger) throws(ServiceConfigurationError) {
        var pool = HTTPClient.Configuration()
        // A proxy relays redirects and encodings as the upstream sent them.
        pool.redirectConfiguration = .disallow
        pool.decompression = .disabled
        pool.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 512)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: pool)
        var clients: [String: [ResilientHTTPClient]] = [:]
        for route in configuration.routes {
            var list: [ResilientHTTPClient] = []
            for index in route.upstreams.indices {
                let client = ResilientHTTPClientConfiguration(
                    profile: route.profile,
                    breakers: .named(route.breakerName(upstream: index)),
                    safeMethods: [.GET, .HEAD, .OPTIONS, .PUT, .DELETE],
                    maxRequestBodyBytes: configuration.maxRequestBodyBytes,
                    maxResponseBodyBytes: configuration.maxResponseBodyBytes
                )
                let retries = Counter(label: GatewayMetricNames.retries, dimensions: [("route", route.name)])
                do {
                    list.append(
                        try ResilientHTTPClient(bulwark: bulwark, configuration: client, httpClient: http, logger: logger) { event in
                            if case .retrying = event { retries.increment() }
                        }
                    )
                } catch {
                    try? http.syncShutdown()
                    throw ServiceConfigurationError(message: "gateway route '\(route.name)': \(error.message)")
                }
            }
            clients[route.name] = list
        }
        self.configuration = configuration
        self.clients = clients
        self.http = http
    }

    /// Waits for the graceful shutdown, then closes the HTTP client.
    public func run() async throws {
        try? await gracefulShutdown()
        try await http.shutdown()
    }

    /// Answers one request: routed, forwarded and relayed, or refused with the error envelope.
    func respond(_ request: Request, context: BulwarkRequestContext) async throws -> Response {
        var routeName = "unmatched"
        do {
            let response = try await forward(request, context: context, routeName: &routeName)
            Counter(label: GatewayMetricNames.requests, dimensions: [("route", routeName), ("status", String(response.status.code))]).increment()
            return response
        } catch let rejection as GatewayRejection {
            Counter(label: GatewayMetricNames.rejections, dimensions: [("route", routeName), ("reason", rejection.reason)]).increment()
            let status = String(rejection.error.kind.status.code)
            Counter(label: GatewayMetricNames.requests, dimensions: [("route", routeName), ("status", status)]).increment()
            throw rejection.error
        }
    }

    private func forward(_ request: Request, context: BulwarkRequestContext, routeName: inout String) async throws -> Response {
        guard Self.forwardedMethods.contains(request.method) else {
            throw GatewayRejection(.methodNotAllowed, "the gateway does not forward this method", reason: "invalid_request")
        }
        if let refusal = GatewayHeaders.refusal(request.headers) {
            throw GatewayRejection(.validation, refusal, reason: "invalid_request")
        }
        let host = try Self.host(of: request.head.authority)
        let target: (path: String, query: Substring?)
        switch GatewayRequestPath.split(request.head.path ?? "") {
        case .success(let split): target = split
        case .failure(let problem): throw GatewayRejection(.validation, problem.message, reason: "invalid_request")
        }
        guard let route = configuration.route(host: host, path: target.path), let clients = clients[route.name] else {
            throw GatewayRejection(.notFound, "no gateway route takes this path and host", reason: "no_route")
        }
        routeName = route.name
        let body = try await Self.body(of: request, limit: configuration.maxRequestBodyBytes, route: route)
        var outbound = HTTPClientRequest(url: "")
        outbound.method = HTTPMethod(rawValue: request.method.rawValue)
        outbound.headers = GatewayHeaders.upstream(
            from: request.headers,
            clientAddress: context.clientAddress,
            host: request.head.authority,
            correlationID: context.correlationID
        )
        if let body { outbound.body = .bytes(body) }
        let remainder = route.remainder(of: target.path)
        let start = ContinuousClock.now
        defer {
            Metrics.Timer(label: GatewayMetricNames.upstreamDuration, dimensions: [("route", route.name)])
                .recordNanoseconds(Int64((ContinuousClock.now - start) / .nanoseconds(1)))
        }
        for (index, client) in clients.enumerated() {
            outbound.url = route.upstreams[index].url(remainder: remainder, query: target.query)
            do {
                let answer = try await client.execute(outbound)
                return Response(
                    status: HTTPResponse.Status(code: Int(answer.status.code)),
                    headers: GatewayHeaders.downstream(from: answer.headers),
                    body: ResponseBody(byteBuffer: answer.body)
                )
            } catch let error as ResilienceError where error.code == .breakerOpen && index < clients.count - 1 {
                // Nothing was sent: the next upstream takes the request.
                continue
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw GatewayRejection(failure: error, route: route, upstream: index)
            }
        }
        throw GatewayRejection(.badGateway, "route '\(route.name)': no upstream could take the request", reason: "upstream_failed")
    }

    /// The request's host, lowercased and without its port; `nil` when it sent none.
    private static func host(of authority: String?) throws(GatewayRejection) -> String? {
        guard let authority, !authority.isEmpty else { return nil }
        let valid =
            authority.utf8.count <= 260
            && authority.utf8.allSatisfy { byte in
                (97...122).contains(byte) || (65...90).contains(byte) || (48...57).contains(byte) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
            }
        guard valid else { throw GatewayRejection(.validation, "the Host header is not a host name or address", reason: "invalid_request") }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw GatewayRejection(.validation, "the Host header is not a host name or address", reason: "invalid_request")
            }
            return String(authority[...close]).lowercased()
        }
        return String(authority.prefix { $0 != ":" }).lowercased()
    }

    /// The request's body, at most `limit` bytes; `nil` for a bodiless `GET`, `HEAD`, `DELETE` or `OPTIONS`.
    private static func body(of request: Request, limit: Int, route: GatewayRoute) async throws -> ByteBuffer? {
        let tooLarge = GatewayRejection(
            .payloadTooLarge,
            "route '\(route.name)': the request body is larger than \(limit) bytes (maxRequestBodyBytes)",
            reason: "body_too_large",
            details: ["route": .string(route.name)]
        )
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit { throw tooLarge }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        }
        let carriesBody = request.method == .post || request.method == .put || request.method == .patch
        return body.readableBytes > 0 || carriesBody ? body : nil
    }
}
