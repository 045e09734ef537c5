import BulwarkHummingbird
import Foundation
import RedisClient

/// Orders in Redis: a counter for their numbers and one JSON string per order.
struct OrderStore: Sendable {
    let client: RedisClient
    private let prefix = "orders-example"

    /// Takes a new order number and stores the order under it.
    func create(user: String, request: OrderRequest, instance: String) async throws -> Order {
        guard let id = try await client.send("INCR", "\(prefix):next-id").int else {
            throw APIError(.internal, "the order counter answered unexpectedly")
        }
        let order = Order(id: id, user: user, sku: request.sku, quantity: request.quantity, instance: instance)
        _ = try await client.send("SET", "\(prefix):order:\(id)", Array(try JSONEncoder().encode(order)))
        return order
    }

    /// The order numbered `id`, or `nil`.
    func order(_ id: Int) async throws -> Order? {
        guard let bytes = try await client.send("GET", "\(prefix):order:\(id)").bytes else { return nil }
        return try JSONDecoder().decode(Order.self, from: Data(bytes))
    }

    /// How many orders were taken.
    func count() async throws -> Int {
        try await client.send("GET", "\(prefix):next-id").int ?? 0
    }
}
