import Hummingbird

/// `GET /health/live`, `GET /health/ready` and `GET /health`.
struct HealthRoutes {
    let components: ServiceComponents

    func register(on router: Router<BulwarkRequestContext>) {
        router.get("health/live") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"alive"}"#)))
        }
    }
}
