import Bulwark
import Foundation
import Hummingbird
import Logging
import NIOCore
import OrdersExample

// `orders-example`: the example app as a process. REDIS_URL (redis://127.0.0.1:6379), ORDERS_PORT (8080; 0
// for a free one) and ORDERS_INSTANCE (its name) configure it; it prints `orders-example serving port=<port>`
// once it listens, and stops gracefully on SIGTERM or SIGINT.

/// A fixed catalog standing in for the system of record.
struct FixedCatalog: CatalogSource {
    func item(_ sku: String) async throws -> CatalogItem? {
        sku == "mug-1" ? CatalogItem(sku: "mug-1", name: "Mug", priceCents: 1_200) : nil
    }
}

let environment = ProcessInfo.processInfo.environment
let logger = Logger(label: "orders-example")
let instance = environment["ORDERS_INSTANCE"] ?? "orders"
guard let port = Int(environment["ORDERS_PORT"] ?? "8080"), (0...65_535).contains(port) else {
    FileHandle.standardError.write(Data("orders-example: ORDERS_PORT must be a port number, 0 to 65535\n".utf8))
    exit(2)
}
do {
    let bulwark = try Bulwark(
        configuration: BulwarkConfiguration(redisURL: environment["REDIS_URL"] ?? "redis://127.0.0.1:6379", instanceID: instance),
        logger: logger
    )
    let app = try OrdersApp.application(
        bulwark: bulwark,
        catalog: FixedCatalog(),
        instance: instance,
        address: .hostname("127.0.0.1", port: port),
        logger: logger
    ) { channel in
        FileHandle.standardOutput.write(Data("orders-example serving port=\(channel.localAddress?.port ?? port)\n".utf8))
    }
    try await app.runService()
} catch {
    FileHandle.standardError.write(Data("orders-example: \(error)\n".utf8))
    exit(1)
}
