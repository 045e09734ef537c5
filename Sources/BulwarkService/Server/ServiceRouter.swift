import Hummingbird
import Logging

/// The router of one instance: every route, each declared a read or a change, behind the service's middleware.
struct ServiceRouter {
    /// The router.
    let router: Router<BulwarkRequestContext>
    /// What each route declared.
    let table: RouteTable
    /// The dashboard's live feed, a service the application runs.
    let feed: BreakerFeed

    /// Builds the routes of `components`.
    init(components: ServiceComponents, logger: Logger) {
        let configuration = components.configuration
        let health = HealthChecker(components: components)
        let router = Router(context: BulwarkRequestContext.self)
        let table = RouteTable()
        // Middleware first: it wraps only the routes added after it. Metrics outermost, so they see the
        // status of error envelopes too.
        router.middlewares.add(HTTPMetricsMiddleware())
        router.middlewares.add(CorrelationMiddleware(exposesInternalErrors: configuration.mode == .development))
        router.middlewares.add(UndeclaredChangeGuard(table: table))
        let routes = RouteRegistrar(router: router, table: table, authorization: AdminAuthorizationMiddleware(token: configuration.adminToken))
        HealthRoutes(components: components, checker: health).register(on: router)
        MetricsRoutes(collector: MetricsCollector(components: components, health: health)).register(on: routes)
        BreakerCommandRoutes(components: components).register(on: routes)
        CacheRoutes(components: components).register(on: routes)
        SessionRoutes(components: components).register(on: routes)
        IdempotencyRoutes(components: components).register(on: routes)
        DeadLetterRoutes(components: components).register(on: routes)
        InstanceRoutes(components: components).register(on: routes)
        PolicySwitchRoutes(components: components).register(on: routes)
        OpenAPIRoutes().register(on: routes)
        let feed = BreakerFeed(components: components, overview: BreakerOverview(components: components, logger: logger), logger: logger)
        DashboardRoutes().register(on: routes)
        BreakerReadRoutes(overview: feed.overview).register(on: routes)
        EventStreamRoutes(feed: feed).register(on: routes)
        self.router = router
        self.table = table
        self.feed = feed
    }
}
