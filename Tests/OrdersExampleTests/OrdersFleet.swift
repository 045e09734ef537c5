import Bulwark
import BulwarkHummingbird
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
/// on free loopback ports; `body` gets a client of each.
enum OrdersFleet {
    static func run(
        _ body:
            @Sendable (_ redis: RedisServerProcess, _ catalog: CountingCatalog, _ a: any TestClientProtocol, _ b: any TestClientProtocol) async throws
            -> Void
    ) async throws {
        let server = try await RedisServerProcess.start()
        let catalog = CountingCatalog()
        var logger = Logger(label: "orders-test")
        logger.logLevel = .warning
        let apps = try ["a", "b"].map { name in
            try OrdersApp.application(
                bulwark: try Bulwark(configuration: BulwarkConfiguration(redisURL: server.url, instanceID: "orders-\(name)"), logger: logger),
                catalog: catalog,
                instance: name,
                address: .hostname("127.0.0.1", port: 0),
                logger: logger
            )
        }
        do {
            try await apps[0].test(.live) { a in
                try await apps[1].test(.live) { b in
                    try await body(server, catalog, a, b)
                }
            }
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }
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
