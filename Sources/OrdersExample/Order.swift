import BulwarkHummingbird

/// An order as the app stores and answers it.
public struct Order: Codable, Sendable, Equatable {
    /// The order's number, unique in the fleet.
    public var id: Int
    /// Who ordered.
    public var user: String
    /// What was ordered.
    public var sku: String
    /// How many.
    public var quantity: Int
    /// The instance that took the order.
    public var instance: String
}

/// The body of `POST /orders`.
struct OrderRequest: Decodable {
    var sku: String
    var quantity: Int

    /// Refuses what the catalog cannot hold: a SKU of 1 to 64 letters, digits or `-`, 1 to 100 pieces.
    func validate() throws(APIError) {
        guard !sku.isEmpty, sku.utf8.count <= 64, sku.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw APIError(.validation, "sku must be 1 to 64 letters, digits or '-'", details: ["field": "sku"])
        }
        guard (1...100).contains(quantity) else {
            throw APIError(.validation, "quantity must be 1 to 100", details: ["field": "quantity"])
        }
    }
}
