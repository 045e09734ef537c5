import Bulwark
import Hummingbird

/// `GET /health`: whether this instance's Bulwark runs and shares its state through Redis, and the payments
/// provider's breaker as this instance sees it (`closed`, `open`, `half-open`, …; `unused` before the first
/// charge). It reads local state only: asking it never calls Redis or the provider.
struct HealthRoutes {
    let bulwark: Bulwark
    let payments: PaymentsClient

    /// The answer.
    struct Health: ResponseEncodable {
        var running: Bool
        var breakers: String
        var payments: String
    }

    func register(on router: Router<OrdersContext>) {
        router.get("/health") { _, _ -> Health in
            let health = bulwark.health
            return Health(running: health.running, breakers: health.breakers.rawValue, payments: payments.breakerState.map { "\($0)" } ?? "unused")
        }
    }
}
