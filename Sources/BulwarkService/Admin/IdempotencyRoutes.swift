import Foundation
import Hummingbird
import Logging
import OperatorViews
import SharedState

/// `GET /api/v1/idempotency/{key}?scope=S` and `POST /api/v1/idempotency/{key}/delete?scope=S`. The scope
/// is the tenant, user or client that owns the key (`default` when not given). The stored result is shown
/// only by its size: it is the response some caller received and may hold that caller's data.
struct IdempotencyRoutes {
    let components: ServiceComponents

    /// The scope used when the request names none.
    static let defaultScope = "default"

    func register(on routes: RouteRegistrar) {
        routes.read("api/v1/idempotency/:key") { request, context in
            let (key, scope) = try Self.identify(request, context)
            guard let record = try await components.idempotency.show(key: key, scope: scope) else {
                throw APIError(.notFound, "no idempotency record for this key", details: ["key": .string(key.value), "scope": .string(scope.value)])
            }
            return JSONBody(IdempotencyRecordView(key: key, scope: scope, record: record)).response(status: .ok)
        }
        routes.change("api/v1/idempotency/:key/delete") { request, context in
            let (key, scope) = try Self.identify(request, context)
            guard try await components.idempotency.delete(key: key, scope: scope) else {
                throw APIError(.notFound, "no idempotency record for this key", details: ["key": .string(key.value), "scope": .string(scope.value)])
            }
            context.logger.notice("operator deleted an idempotency record", metadata: ["idempotency.key": "\(key)"])
            return JSONBody(["deleted": true]).response(status: .ok)
        }
    }

    private static func identify(_ request: Request, _ context: BulwarkRequestContext) throws -> (IdempotencyKey, IdempotencyScope) {
        let key = try IdempotencyKey(try context.pathParameter("key"))
        let scope = try IdempotencyScope(request.optionalQuery("scope") ?? defaultScope)
        return (key, scope)
    }
}
