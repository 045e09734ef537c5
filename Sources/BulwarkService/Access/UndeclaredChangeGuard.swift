import Hummingbird

/// Deny by default: a request whose method may change something (anything but GET, HEAD and OPTIONS) and that
/// matched a route not declared a change through ``RouteRegistrar`` is refused (403), so that a route added
/// with `router.post` directly can never skip the admin token.
struct UndeclaredChangeGuard: RouterMiddleware {
    typealias Context = BulwarkRequestContext

    let table: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The router sets the matched route's path before it calls the route's middleware; no path means no
        // route matched and the request ends as 404.
        if !RouteAccess.isSafe(request.method), let path = context.endpointPath, !table.isDeclaredChange(request.method, path: path) {
            throw APIError(.forbidden, "this route is not declared as a change: it is refused")
        }
        return try await next(request, context)
    }
}
