import Bulwark
import BulwarkHummingbird
import Hummingbird

/// `GET /catalog/{sku}`: cache-aside in the shared cache, so the whole fleet asks the catalog once per item
/// and TTL, however many instances and requests want it at once.
struct CatalogRoutes {
    let cache: SharedCache
    let catalog: any CatalogSource

    func register(on router: Router<OrdersContext>) {
        router.get("/catalog/{sku}") { _, context -> CatalogItem in
            let sku = try context.parameters.require("sku")
            guard !sku.isEmpty, sku.utf8.count <= 64, sku.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw APIError(.validation, "sku must be 1 to 64 letters, digits or '-'")
            }
            let catalog = self.catalog
            return try await cache.getOrSet("catalog:\(sku)", options: CacheEntryOptions(timeToLive: .seconds(300))) {
                guard let item = try await catalog.item(sku) else { throw APIError(.notFound, "no such item") }
                return item
            }
        }
    }
}

extension CatalogItem: ResponseEncodable {}
