import Bulwark
import BulwarkHummingbird
import Foundation
import Hummingbird

/// `POST /orders` (signed in, behind the idempotency middleware: an `Idempotency-Key` is required; charges the
/// order at the payments provider, then stores it) and `GET /orders/{id}` (signed in, one's own orders only).
struct OrdersRoutes {
    let store: OrderStore
    let payments: PaymentsClient
    let instance: String

    func register(on router: Router<OrdersContext>, idempotency: IdempotencyMiddleware<OrdersContext>) {
        router.group("/orders").add(middleware: idempotency).post { request, context -> Response in
            let user = try signedIn(context)
            let order = try await request.decode(as: OrderRequest.self, context: context)
            try order.validate()
            // The provider sees the same key for every retry of this order, whichever instance runs it.
            let key = request.headers[.idempotencyKey] ?? ""
            try await payments.charge(user: user, sku: order.sku, quantity: order.quantity, key: "\(user):\(key)")
            let created = try await store.create(user: user, request: order, instance: instance)
            var response = try context.responseEncoder.encode(created, from: request, context: context)
            response.status = .created
            response.headers[.location] = "/orders/\(created.id)"
            return response
        }
        router.get("/orders/{id}") { request, context -> Order in
            let user = try signedIn(context)
            guard let id = context.parameters.get("id", as: Int.self), let order = try await store.order(id), order.user == user else {
                throw APIError(.notFound, "no such order")
            }
            return order
        }
    }

    private func signedIn(_ context: OrdersContext) throws(APIError) -> String {
        guard let session = context.session.current else { throw APIError(.unauthorized, "sign in first") }
        return session.user.value
    }
}

extension Order: ResponseEncodable {}
