import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import RedisClient
import RedisTestSupport
import Testing

@testable import BulwarkService

/// One service instance in this process on a real redis-server, driven through Hummingbird's test client.
struct ServiceHarness {
    static let token = "test-admin-token-0123456789"

    let redis: RedisServerProcess
    let components: ServiceComponents
    let client: any TestClientProtocol

    /// Starts a redis-server (unless given one), builds an instance with `configure` applied, runs its
    /// services and calls `body`.
    static func run<Value: Sendable>(
        redis given: RedisServerProcess? = nil,
        configure: (inout ServiceConfiguration) -> Void = { _ in },
        _ body: @Sendable (ServiceHarness) async throws -> Value
    ) async throws -> Value {
        let redis: RedisServerProcess
        if let given { redis = given } else { redis = try await RedisServerProcess.start() }
        var configuration = ServiceConfiguration()
        configuration.port = 0
        configuration.redisURL = redis.url
        configuration.adminToken = token
        configuration.keyPrefix = "t\(UInt32.random(in: 0...UInt32.max))"
        configure(&configuration)
        var logger = Logger(label: "bulwark.test")
        logger.logLevel = .critical
        let components = try ServiceComponents(configuration: configuration, logger: logger)
        let application = ServiceApplication.make(components: components, logger: logger)
        do {
            let value = try await application.test(.router) { client in
                try await body(ServiceHarness(redis: redis, components: components, client: client))
            }
            components.client.shutdown()
            if given == nil { await redis.shutdown() }
            return value
        } catch {
            components.client.shutdown()
            if given == nil { await redis.shutdown() }
            throw error
        }
    }

    /// Sends a request; `token: true` adds the admin token.
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        json: String? = nil,
        token: Bool = false,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if token { headers[.authorization] = "Bearer \(Self.token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    /// The body parsed as a JSON object.
    var json: [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
            return [:]
        }
        return object
    }

    /// The `error` object of an envelope.
    var envelope: [String: Any] { json["error"] as? [String: Any] ?? [:] }

    /// The body as text.
    var text: String { String(buffer: body) }
}
