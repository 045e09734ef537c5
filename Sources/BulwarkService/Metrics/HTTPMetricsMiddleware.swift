import Hummingbird
import Metrics

/// Counts every request by method, route template and status, and times it
/// (`bulwark_http_requests_total`, `bulwark_http_request_duration_seconds`). The route is the matched
/// template (`/api/v1/breakers/{name}/open`), never the raw path, so that names do not explode the series.
struct HTTPMetricsMiddleware: RouterMiddleware {
    typealias Context = BulwarkRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath.map { $0 == "NotFound" ? "unmatched" : $0 } ?? "unmatched"
        let method = request.method.rawValue
        Counter(
            label: ServiceMetricNames.httpRequests,
            dimensions: [("method", method), ("route", route), ("status", String(response.status.code))]
        ).increment()
        Metrics.Timer(label: ServiceMetricNames.httpRequestDuration, dimensions: [("method", method), ("route", route)])
            .recordNanoseconds(Int64((ContinuousClock.now - start) / .nanoseconds(1)))
        return response
    }
}
