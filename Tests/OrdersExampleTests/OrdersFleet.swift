import AsyncHTTPClient
import Bulwark
import BulwarkHummingbird
import BulwarkTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OrdersExample
import RedisTestSupport
import Synchronization
import Testing

/// A catalog that counts how often it was asked, the slow system of record behind the shared cache.
final class CountingCatalog: CatalogSource {
    private let loads = Mutex(0)

    /// How often the catalog was asked.
    var count: Int { loads.withLock { $0 } }

    func item(_ sku: String) async throws -> CatalogItem? {
        loads.withLock { $0 += 1 }
        return sku == "mug-1" ? CatalogItem(sku: "mug-1", name: "Mug", priceCents: 1_200) : nil
    }
}

/// Two instances of the orders app, each with its own Bulwark (and Redis client), on one real Redis, serving
/// on free loopback ports, charging at one scripted payments upstream; `body` gets the fleet and a client of each.
struct OrdersFleet: Sendable {
    /// The Redis both instances share.
    let redis: RedisServerProcess
    /// The catalog behind the shared cache.
    let catalog: CountingCatalog
    /// The payments provider, a real HTTP server on loopback that counts the requests it gets.
    let payments: ScriptedUpstream
    /// The prefix of every Redis key.
    let keyPrefix: String

    static func run(
        keyPrefix: String = "bulwark",
        _ body: @Sendable (_ fleet: OrdersFleet, _ a: any TestClientProtocol, _ b: any TestClientProtocol) async throws -> Void
    ) async throws {
        let server = try await RedisServerProcess.start()
        let payments = try await ScriptedUpstream.start()
        // Its own AsyncHTTPClient: the shared one could keep a connection to a port an earlier test's upstream had.
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let fleet = OrdersFleet(redis: server, catalog: CountingCatalog(), payments: payments, keyPrefix: keyPrefix)
        var logger = Logger(label: "orders-test")
        logger.logLevel = .warning
        do {
            let apps = try ["a", "b"].map { name in
                let bulwark = try Bulwark(
                    configuration: BulwarkConfiguration(redisURL: server.url, keyPrefix: keyPrefix, instanceID: "orders-\(name)"),
                    logger: logger
                )
                return try OrdersApp.application(
                    bulwark: bulwark,
                    catalog: fleet.catalog,
                    payments: try PaymentsClient(url: try PaymentsURL(payments.url("")), bulwark: bulwark, httpClient: http),
                    instance: name,
                    address: .hostname("127.0.0.1", port: 0),
                    logger: logger
                )
            }
            try await apps[0].test(.live) { a in
                try await apps[1].test(.live) { b in
                    try await body(fleet, a, b)
                }
            }
        } catch {
            try? await http.shutdown()
            await payments.stop()
            await server.shutdown()
            throw error
        }
        try await http.shutdown()
        await payments.stop()
        await server.shutdown()
    }

    /// The charges the payments provider received.
    var charges: [ScriptedUpstream.Received] { payments.received("/charges") }
}

extension TestClientProtocol {
    /// Signs `user` in and returns the `Cookie` header that carries the session.
    func signIn(_ user: String) async throws -> HTTPFields {
        let response = try await execute(
            uri: "/login",
            method: .post,
            headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"user":"\#(user)"}"#)
        )
        #expect(response.status == .noContent)
        let sessionCookie = response.headers[values: .setCookie].first { $0.hasPrefix("bulwark_session=") }
        let line = try #require(sessionCookie)
        return [.cookie: String(line.prefix { $0 != ";" })]
    }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// The envelope's `code`.
    var errorCode: String? {
        let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        return (object?["error"] as? [String: Any])?["code"] as? String
    }
}

/// An order request's headers: the session, the key and JSON.
func orderHeaders(_ session: HTTPFields, key: String) -> HTTPFields {
    var headers = session
    headers[.idempotencyKey] = key
    headers[.contentType] = "application/json"
    return headers
}
