import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import RedisTestSupport
import Testing

@testable import BulwarkHummingbird

/// docs/middleware.md's first example is `IdempotentOrders.swift`, character for character, and it does what
/// the page says: the handler runs once per key, the retry is replayed, a request without a key is refused.
@Suite(.serialized) struct IdempotentOrdersTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func thePageShowsThisCode() throws {
        let code = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("IdempotentOrders.swift"),
            encoding: .utf8
        )
        let page = try String(contentsOf: Self.root.appendingPathComponent("docs/middleware.md"), encoding: .utf8)
        #expect(page.contains("```swift\n" + code + "```\n"))
    }

    @Test func theExampleRunsEachKeyOnceAndReplaysRetries() async throws {
        let server = try await RedisServerProcess.start()
        let runs = RunCounter()
        let app = try ordersApp(redisURL: server.url) { request, _ in
            let run = runs.count("orders")
            _ = try await request.body.collect(upTo: 1_024)
            return Response(status: .created, headers: [.location: "/orders/\(run)"])
        }
        try await app.test(.router) { client in
            let headers: HTTPFields = [.idempotencyKey: "3f1c9e-order-7"]
            let first = try await client.execute(uri: "/orders", method: .post, headers: headers, body: ByteBuffer(string: "2 mugs"))
            let retry = try await client.execute(uri: "/orders", method: .post, headers: headers, body: ByteBuffer(string: "2 mugs"))
            #expect(first.status == .created)
            #expect(retry.status == .created)
            #expect(retry.headers[.location] == first.headers[.location])
            #expect(retry.headers[.idempotentReplayed] == "true")
            #expect(try await client.execute(uri: "/orders", method: .post).status == .badRequest)
        }
        #expect(runs["orders"] == 1)
        await server.shutdown()
    }
}
