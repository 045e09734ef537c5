import Bulwark
import BulwarkHummingbird
import Foundation
import Hummingbird
import Logging
import NIOCore

/// A small orders service on Bulwark: `POST /orders` idempotent across the fleet and charged at a payments
/// provider through the resilient HTTP client, `GET /catalog/{sku}` cache-aside in the shared cache, sessions
/// shared by every instance, rate limits per client, `GET /health`, and one error envelope.
///
/// ```swift
/// let bulwark = try Bulwark(redisURL: "redis://127.0.0.1:6379")
/// let payments = try PaymentsClient(url: try PaymentsURL("http://127.0.0.1:9090"), bulwark: bulwark)
/// let app = try OrdersApp.application(bulwark: bulwark, catalog: myCatalog, payments: payments, instance: "orders-1")
/// try await app.runService()
/// ```
///
/// Every Redis key it writes starts with the Bulwark configuration's `keyPrefix`; orders are kept 7 days.
public enum OrdersApp {
    /// The router with every route and middleware.
    /// - Parameters:
    ///   - bulwark: The instance's Bulwark.
    ///   - catalog: Where catalog items come from on a cache miss.
    ///   - payments: The payments provider, charged for every order.
    ///   - instance: This instance's name, shown in the orders it takes.
    /// - Throws: `BulwarkError` for a bad middleware setting.
    public static func router(bulwark: Bulwark, catalog: any CatalogSource, payments: PaymentsClient, instance: String) throws
        -> Router<OrdersContext>
    {
        let router = Router(context: OrdersContext.self)
        router.add(middleware: CorrelationMiddleware())
        router.add(middleware: try RateLimitMiddleware<OrdersContext>(policy: RateLimitPolicy(limit: 600, window: .seconds(60))))
        router.add(middleware: try SessionMiddleware(bulwark: bulwark))
        // Keys are per user: two users who happen to pick the same key never see each other's orders.
        let idempotency = try IdempotencyMiddleware<OrdersContext>(bulwark: bulwark) { _, context in
            context.session.current?.user.value ?? "anonymous"
        }
        let store = OrderStore(client: bulwark.client, keyPrefix: bulwark.configuration.keyPrefix)
        OrdersRoutes(store: store, payments: payments, instance: instance).register(on: router, idempotency: idempotency)
        CatalogRoutes(cache: bulwark.cache, catalog: catalog).register(on: router)
        SessionRoutes().register(on: router)
        HealthRoutes(bulwark: bulwark, payments: payments).register(on: router)
        return router
    }

    /// The application: the router on `address`, with `bulwark` run beside the server and stopped after it.
    /// - Parameters:
    ///   - bulwark: The instance's Bulwark.
    ///   - catalog: Where catalog items come from on a cache miss.
    ///   - payments: The payments provider.
    ///   - instance: This instance's name.
    ///   - address: Where to listen; 127.0.0.1:8080 by default.
    ///   - logger: Where the app logs.
    ///   - onServerRunning: Called once the server listens, with its channel (whose local address has the port).
    /// - Throws: `BulwarkError` for a bad middleware setting.
    public static func application(
        bulwark: Bulwark,
        catalog: any CatalogSource,
        payments: PaymentsClient,
        instance: String,
        address: BindAddress = .hostname("127.0.0.1", port: 8080),
        logger: Logger = Logger(label: "orders"),
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        Application(
            router: try router(bulwark: bulwark, catalog: catalog, payments: payments, instance: instance),
            configuration: .init(address: address, serverName: nil),
            services: [bulwark],
            onServerRunning: onServerRunning,
            logger: logger
        )
    }
}
