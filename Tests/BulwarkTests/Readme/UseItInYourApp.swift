import Bulwark
import Logging
import ServiceLifecycle

/// Your code that calls the dependency, here a payments provider.
struct Checkout: Sendable {
    let payments: PolicyPipeline

    func pay(_ order: Order) async throws -> Receipt {
        // Retried calls carry the same key: a retry after a lost answer never charges twice.
        try await payments.execute { try await gateway.charge(order, idempotencyKey: order.id) }
    }
}

/// At start-up: one Bulwark per process, in the ServiceGroup before the services that use it.
func start(redisURL: String, logger: Logger) async throws {
    let bulwark = try Bulwark(redisURL: redisURL)
    let payments = try bulwark.pipeline(
        named: "payments",
        profile: ResilienceProfile(retry: .retries(2), circuitBreaker: .consecutiveFailures(3, breakFor: .seconds(10)), timeout: .seconds(1))
    )
    let server = YourServer(checkout: Checkout(payments: payments))
    try await ServiceGroup(services: [bulwark, server], logger: logger).run()
}
