import Hummingbird

/// `GET /`: the live breaker dashboard, with its stylesheet and script at `/dashboard/app.css` and
/// `/dashboard/app.js`. Everything comes from this service; the Content-Security-Policy allows nothing
/// else — no inline script, no other origin — so that a breaker name can never run as code.
struct DashboardRoutes {
    /// Only this service's own files and its own API; no frames, no forms, no plugins.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    func register(on routes: RouteRegistrar) {
        routes.read("/") { _, _ in Self.response(DashboardPage.html, type: "text/html; charset=utf-8") }
        routes.read("dashboard/app.css") { _, _ in Self.response(DashboardStyle.css, type: "text/css; charset=utf-8") }
        routes.read("dashboard/app.js") { _, _ in Self.response(DashboardScript.javascript, type: "text/javascript; charset=utf-8") }
    }

    private static func response(_ text: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type,
                .contentSecurityPolicy: contentSecurityPolicy,
                .xContentTypeOptions: "nosniff",
                .referrerPolicy: "no-referrer",
                // Small and served with the binary: revalidate so that a new version shows at once.
                .cacheControl: "no-cache",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
