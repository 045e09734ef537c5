import BulwarkHummingbird
import Foundation
import RedisClient

/// Orders in Redis, under Bulwark's key prefix like every other key of the app: a counter for their numbers
/// (`<prefix>:orders-example:next-id`, one key, never expiring so that numbers are never reused) and one JSON
/// string per order (`<prefix>:orders-example:order:<id>`), kept for ``timeToLive``, so the orders' keys stay
/// bounded however long the app runs.
struct OrderStore: Sendable {
    /// How long an order is kept: 7 days. A real app keeps orders in its database; this one keeps a week's.
    static let timeToLive: Duration = .seconds(7 * 24 * 3600)

    let client: RedisClient
    /// `<keyPrefix>:orders-example`.
    let prefix: String

    /// The store of the app whose Redis keys start with `keyPrefix`.
    init(client: RedisClient, keyPrefix: String) {
        self.client = client
        prefix = "\(keyPrefix):orders-example"
    }

    /// Takes a new order number and stores the order under it, for ``timeToLive``.
    func create(user: String, request: OrderRequest, instance: String) async throws -> Order {
        guard let id = try await client.send("INCR", "\(prefix):next-id").int else {
            throw APIError(.internal, "the order counter answered unexpectedly")
        }
        let order = Order(id: id, user: user, sku: request.sku, quantity: request.quantity, instance: instance)
        let seconds = Self.timeToLive.components.seconds
        _ = try await client.send("SET", "\(prefix):order:\(id)", Array(try JSONEncoder().encode(order)), "EX", "\(seconds)")
        return order
    }

    /// The order numbered `id`, or `nil` (also once it expired).
    func order(_ id: Int) async throws -> Order? {
        guard let bytes = try await client.send("GET", "\(prefix):order:\(id)").bytes else { return nil }
        return try JSONDecoder().decode(Order.self, from: Data(bytes))
    }
}
