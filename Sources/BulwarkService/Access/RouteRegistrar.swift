import Hummingbird

/// The one way routes of the admin API are added: each says whether it reads or changes.
///
/// Changes are added to a route group whose middleware checks the admin token and the content type, so the check
/// runs on the route the router matched — `//api/v1/…`, `/api//v1/…`, the absolute form and any other spelling
/// that reaches a change reaches it through the check. Every declared path also answers `OPTIONS` (204 with
/// `Allow`, no CORS headers) without a token.
final class RouteRegistrar {
    typealias Handler = @Sendable (Request, BulwarkRequestContext) async throws -> Response

    let router: Router<BulwarkRequestContext>
    let table: RouteTable
    private let changes: RouterGroup<BulwarkRequestContext>
    private var answered: Set<String> = []

    /// Declares routes on `router`; changes are checked by `authorization`.
    init(router: Router<BulwarkRequestContext>, table: RouteTable, authorization: AdminAuthorizationMiddleware) {
        self.router = router
        self.table = table
        changes = router.group().add(middleware: authorization).add(middleware: JSONContentTypeMiddleware())
    }

    /// Adds a route that only reads (GET).
    func read(_ path: String, _ handler: @escaping Handler) {
        router.get(RouterPath(path), use: handler)
        declared(path, .read)
    }

    /// Adds a route that changes something (POST), behind the admin token.
    func change(_ path: String, _ handler: @escaping Handler) {
        changes.post(RouterPath(path), use: handler)
        declared(path, .change)
    }

    private func declared(_ path: String, _ access: RouteAccess) {
        table.declare(RouteTable.Route(method: access.method, path: RouteTable.normalised(path), access: access))
        guard answered.insert(RouteTable.normalised(path)).inserted else { return }
        router.on(RouterPath(path), method: .options) { [table] _, _ in
            let methods = table.methods(at: path) + [.options]
            return Response(status: .noContent, headers: [.allow: methods.map(\.rawValue).joined(separator: ", ")])
        }
    }
}
