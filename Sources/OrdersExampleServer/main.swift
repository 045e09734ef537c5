import Bulwark
import Foundation
import Hummingbird
import Logging
import NIOCore
import OrdersExample

// `orders-example`: the example app as a process. Its environment configures it (`OrdersSettings`: PAYMENTS_URL,
// required; REDIS_URL, ORDERS_KEY_PREFIX, ORDERS_PORT, ORDERS_INSTANCE); a bad setting stops it with status 2 and a
// message naming the variable. It prints `orders-example serving port=<port>` once it listens, and stops gracefully
// on SIGTERM or SIGINT.

/// A fixed catalog standing in for the system of record.
struct FixedCatalog: CatalogSource {
    func item(_ sku: String) async throws -> CatalogItem? {
        sku == "mug-1" ? CatalogItem(sku: "mug-1", name: "Mug", priceCents: 1_200) : nil
    }
}

/// Says why the example cannot start, and exits with `status`.
func refuse(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data("orders-example: \(message)\n".utf8))
    exit(status)
}

let logger = Logger(label: "orders-example")
let settings: OrdersSettings
do {
    settings = try OrdersSettings(environment: ProcessInfo.processInfo.environment)
} catch {
    refuse("\(error)", status: 2)
}
let bulwark: Bulwark
let payments: PaymentsClient
do {
    bulwark = try Bulwark(
        configuration: BulwarkConfiguration(redisURL: settings.redisURL, keyPrefix: settings.keyPrefix, instanceID: settings.instance),
        logger: logger
    )
    payments = try PaymentsClient(url: settings.paymentsURL, bulwark: bulwark)
} catch {
    refuse("\(error)", status: 2)
}
do {
    let app = try OrdersApp.application(
        bulwark: bulwark,
        catalog: FixedCatalog(),
        payments: payments,
        instance: settings.instance,
        address: .hostname("127.0.0.1", port: settings.port),
        logger: logger
    ) { channel in
        FileHandle.standardOutput.write(Data("orders-example serving port=\(channel.localAddress?.port ?? settings.port)\n".utf8))
    }
    try await app.runService()
} catch {
    refuse("\(error)", status: 1)
}
