import Hummingbird

/// `GET /api/v1/openapi.json`: the OpenAPI document of the service (``OpenAPIDocument``).
struct OpenAPIRoutes {
    func register(on routes: RouteRegistrar) {
        routes.read("api/v1/openapi.json") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-cache"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json))
            )
        }
    }
}
