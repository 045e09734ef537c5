import Hummingbird

/// `GET /metrics`: every metric in the Prometheus text format.
struct MetricsRoutes {
    let collector: MetricsCollector

    func register(on routes: RouteRegistrar) {
        routes.read("metrics") { _, _ in
            await collector.collect()
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: ServiceMetrics.render()))
            )
        }
    }
}
