import BulwarkHummingbird
import BulwarkTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import OrdersExample
import RedisClient
import RedisTestSupport
import Testing

/// The example app as two real instances on one Redis.
@Suite(.serialized) struct OrdersExampleTests {
    private let mugs = ByteBuffer(string: #"{"sku":"mug-1","quantity":2}"#)

    @Test func theSameKeyOnBothInstancesCreatesOneOrderAndBothGetTheSameAnswer() async throws {
        try await OrdersFleet.run { fleet, a, b in
            let alice = try await a.signIn("alice")
            let first = try await a.execute(uri: "/orders", method: .post, headers: orderHeaders(alice, key: "k-1"), body: mugs)
            #expect(first.status == .created)
            let order = try JSONDecoder().decode(Order.self, from: Data(first.body.readableBytesView))
            #expect(order.user == "alice" && order.instance == "a" && order.quantity == 2)
            // The retry lands on the other instance: the same answer, replayed, and still one order.
            let retry = try await b.execute(uri: "/orders", method: .post, headers: orderHeaders(alice, key: "k-1"), body: mugs)
            #expect(retry.status == .created)
            #expect(retry.text == first.text)
            #expect(retry.headers[.idempotentReplayed] == "true")
            #expect(retry.headers[.location] == "/orders/\(order.id)")
            let client = try RedisClient(url: fleet.redis.url)
            #expect(try await client.send("GET", "bulwark:orders-example:next-id").int == 1)
            client.shutdown()
            // Charged once, with the key the provider dedupes on.
            #expect(fleet.charges.map(\.idempotencyKey) == ["alice:k-1"])
            #expect(try await b.execute(uri: "/orders/\(order.id)", method: .get, headers: alice).status == .ok)
            // Keys are per user: bob's k-1 is another request altogether.
            let bob = try await b.signIn("bob")
            let bobs = try await b.execute(uri: "/orders", method: .post, headers: orderHeaders(bob, key: "k-1"), body: mugs)
            #expect(bobs.status == .created)
            #expect(bobs.headers[.idempotentReplayed] == nil)
            #expect(try await b.execute(uri: "/orders/\(order.id)", method: .get, headers: bob).status == .notFound)
        }
    }

    @Test func aSessionCreatedOnOneInstanceIsTouchedAndRevokedOnTheOther() async throws {
        try await OrdersFleet.run { _, a, b in
            let alice = try await a.signIn("alice")
            let me = try await b.execute(uri: "/me", method: .get, headers: alice)
            #expect(me.status == .ok)
            #expect(me.text == "alice")
            #expect(try await b.execute(uri: "/logout", method: .post, headers: alice).status == .noContent)
            let after = try await a.execute(uri: "/me", method: .get, headers: alice)
            #expect(after.status == .unauthorized)
            let order = try await a.execute(uri: "/orders", method: .post, headers: orderHeaders(alice, key: "k-2"), body: mugs)
            #expect(order.status == .unauthorized)
        }
    }

    @Test func theCatalogIsAskedOnceForTheWholeFleet() async throws {
        try await OrdersFleet.run { fleet, a, b in
            let first = try await a.execute(uri: "/catalog/mug-1", method: .get)
            #expect(first.status == .ok)
            #expect(first.text.contains(#""name":"Mug""#))
            let second = try await b.execute(uri: "/catalog/mug-1", method: .get)
            #expect(second.text == first.text)
            #expect(fleet.catalog.count == 1)
            #expect(try await a.execute(uri: "/catalog/nothing-here", method: .get).status == .notFound)
            #expect(try await a.execute(uri: "/catalog/bad%20sku", method: .get).status == .badRequest)
        }
    }

    @Test func badOrdersAreRefusedAndChangeNothing() async throws {
        try await OrdersFleet.run { fleet, a, b in
            let alice = try await a.signIn("alice")
            let anonymous = try await a.execute(uri: "/orders", method: .post, headers: orderHeaders([:], key: "k-3"), body: mugs)
            #expect(anonymous.status == .unauthorized)
            let noKey = try await a.execute(uri: "/orders", method: .post, headers: alice, body: mugs)
            #expect(noKey.status == .badRequest)
            let none = ByteBuffer(string: #"{"sku":"mug-1","quantity":0}"#)
            let zero = try await a.execute(uri: "/orders", method: .post, headers: orderHeaders(alice, key: "k-4"), body: none)
            #expect(zero.status == .badRequest)
            #expect(zero.errorCode == "validation_failed")
            let garbled = try await a.execute(
                uri: "/orders",
                method: .post,
                headers: orderHeaders(alice, key: "k-5"),
                body: ByteBuffer(string: "{nope")
            )
            #expect(garbled.status == .badRequest)
            // A refused request is not stored: the same key with a good body runs.
            let fixed = try await b.execute(uri: "/orders", method: .post, headers: orderHeaders(alice, key: "k-4"), body: mugs)
            #expect(fixed.status == .created)
            let client = try RedisClient(url: fleet.redis.url)
            #expect(try await client.send("GET", "bulwark:orders-example:next-id").int == 1)
            client.shutdown()
            #expect(fleet.charges.count == 1)
        }
    }

    /// Review finding 8: every key the app writes is under the configured prefix, and an order expires after
    /// `OrderStore.timeToLive` (7 days); the counter alone never expires, so numbers are never reused.
    @Test func everyKeyIsUnderThePrefixAndOrdersExpireAfterAWeek() async throws {
        try await OrdersFleet.run(keyPrefix: "shop") { fleet, a, b in
            let alice = try await a.signIn("alice")
            let created = try await a.execute(uri: "/orders", method: .post, headers: orderHeaders(alice, key: "k-6"), body: mugs)
            #expect(created.status == .created)
            #expect(try await b.execute(uri: "/catalog/mug-1", method: .get).status == .ok)
            let client = try RedisClient(url: fleet.redis.url)
            defer { client.shutdown() }
            let keys = try await client.send("KEYS", "*").array?.compactMap(\.string) ?? []
            let outside = keys.filter { !$0.hasPrefix("shop:") }
            #expect(keys.contains("shop:orders-example:order:1"))
            #expect(outside.isEmpty, "keys outside the prefix: \(outside)")
            let week = 7 * 24 * 3600
            let orderTTL = try #require(try await client.send("TTL", "shop:orders-example:order:1").int)
            #expect(orderTTL > week - 600 && orderTTL <= week)
            #expect(try await client.send("TTL", "shop:orders-example:next-id").int == -1)
        }
    }

    /// The client retries a charge the provider failed, with the same key; a charge the provider refuses is a 500
    /// that takes no order and is not stored, so the same key can be sent again.
    @Test func aFailedChargeIsRetriedWithItsKeyAndARefusedOneTakesNoOrder() async throws {
        try await OrdersFleet.run { fleet, a, b in
            let alice = try await a.signIn("alice")
            fleet.payments.script("/charges", [ScriptedUpstream.Reply(status: 503)])
            let retried = try await a.execute(uri: "/orders", method: .post, headers: orderHeaders(alice, key: "k-7"), body: mugs)
            #expect(retried.status == .created)
            #expect(fleet.charges.map(\.idempotencyKey) == ["alice:k-7", "alice:k-7"])

            fleet.payments.script("/charges", [ScriptedUpstream.Reply(status: 422)])
            let refused = try await b.execute(uri: "/orders", method: .post, headers: orderHeaders(alice, key: "k-8"), body: mugs)
            #expect(refused.status == .internalServerError)
            #expect(refused.errorCode == "internal_error")
            #expect(fleet.charges.count == 3, "a refusal is an answer: not retried")
            let again = try await a.execute(uri: "/orders", method: .post, headers: orderHeaders(alice, key: "k-8"), body: mugs)
            #expect(again.status == .created)
            #expect(again.headers[.idempotentReplayed] == nil)
            let client = try RedisClient(url: fleet.redis.url)
            #expect(try await client.send("GET", "bulwark:orders-example:next-id").int == 2)
            client.shutdown()
        }
    }
}
