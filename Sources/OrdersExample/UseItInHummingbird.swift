import Bulwark
import BulwarkHTTPClient
import BulwarkHummingbird
import Hummingbird
import NIOHTTP1

/// A payments app whose `POST /pay` runs once per `Idempotency-Key` across every instance on the same Redis, and
/// charges the provider at `paymentsURL` through the resilient HTTP client (its breaker shared by the fleet).
public func paymentsApp(redisURL: String, paymentsURL: String) throws -> some ApplicationProtocol {
    let bulwark = try Bulwark(redisURL: redisURL)
    let payments = try ResilientHTTPClient(bulwark: bulwark)
    let router = Router()
    router.add(middleware: try IdempotencyMiddleware(bulwark: bulwark))
    router.post("/pay") { request, _ -> Response in
        do {
            let body = try await request.body.collect(upTo: 65_536)
            let charge = try await payments.post(paymentsURL, body: body, idempotencyKey: request.headers[.idempotencyKey])
            return Response(status: .init(code: Int(charge.status.code)), body: .init(byteBuffer: charge.body))
        } catch {
            throw APIError(mapping: error)  // an open breaker: 503 in the error envelope, with Retry-After
        }
    }
    return Application(router: router, services: [bulwark])
}
