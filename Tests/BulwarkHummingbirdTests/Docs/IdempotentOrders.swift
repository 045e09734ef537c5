import Bulwark
import BulwarkHummingbird
import Hummingbird

/// An orders app whose `POST /orders` runs once per `Idempotency-Key` across every instance on the same Redis.
func ordersApp(redisURL: String, createOrder: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response) throws
    -> some ApplicationProtocol
{
    let bulwark = try Bulwark(redisURL: redisURL)
    let router = Router()
    router.add(middleware: try IdempotencyMiddleware(bulwark: bulwark))
    router.post("/orders", use: createOrder)
    return Application(router: router, services: [bulwark])
}
