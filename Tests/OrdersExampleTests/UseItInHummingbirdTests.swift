import BulwarkHummingbird
import BulwarkTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import OrdersExample
import RedisTestSupport
import Testing

/// The README's Hummingbird example is `Sources/OrdersExample/UseItInHummingbird.swift`, character for character
/// (so it compiles with the example), and it does what the README says against a real redis-server and a real
/// payments provider on loopback.
@Suite(.serialized) struct UseItInHummingbirdTests {
    /// The package's root, from this file's path.
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func theReadmeShowsExactlyTheCompiledCode() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let code = try String(contentsOf: Self.root.appendingPathComponent("Sources/OrdersExample/UseItInHummingbird.swift"), encoding: .utf8)
        #expect(readme.contains("```swift\n" + code + "```\n"))
    }

    /// A retry with the same key is answered from the store: the provider is charged once, with the key.
    @Test func aRetriedPaymentChargesTheProviderOnce() async throws {
        let server = try await RedisServerProcess.start()
        let provider = try await ScriptedUpstream.start()
        do {
            let app = try paymentsApp(redisURL: server.url, paymentsURL: provider.url("/charges"))
            try await app.test(.live) { client in
                let headers: HTTPFields = [.idempotencyKey: "pay-7"]
                let first = try await client.execute(uri: "/pay", method: .post, headers: headers, body: ByteBuffer(string: "12.00 EUR"))
                let retry = try await client.execute(uri: "/pay", method: .post, headers: headers, body: ByteBuffer(string: "12.00 EUR"))
                #expect(first.status == .ok)
                #expect(String(buffer: first.body) == "answer 200")
                #expect(retry.status == .ok)
                #expect(retry.headers[.idempotentReplayed] == "true")
                #expect(try await client.execute(uri: "/pay", method: .post).status == .badRequest)
            }
            let charges = provider.received("/charges")
            #expect(charges.map(\.idempotencyKey) == ["pay-7"])
            #expect(charges.map(\.body) == ["12.00 EUR"])
        } catch {
            await provider.stop()
            await server.shutdown()
            throw error
        }
        await provider.stop()
        await server.shutdown()
    }
}
