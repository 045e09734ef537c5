/// An item of the catalog.
public struct CatalogItem: Codable, Sendable, Equatable {
    /// Its SKU.
    public var sku: String
    /// Its name.
    public var name: String
    /// Its price in cents.
    public var priceCents: Int

    /// Creates an item.
    public init(sku: String, name: String, priceCents: Int) {
        self.sku = sku
        self.name = name
        self.priceCents = priceCents
    }
}

/// Where the catalog comes from: the slow system of record that the shared cache stands in front of.
public protocol CatalogSource: Sendable {
    /// The item with `sku`, or `nil` when there is none.
    func item(_ sku: String) async throws -> CatalogItem?
}
