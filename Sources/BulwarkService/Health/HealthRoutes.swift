import Foundation
import Hummingbird

/// `GET /health/live`, `GET /health/ready` and `GET /health`, with status codes a Kubernetes probe
/// understands: 200 when fine (healthy or degraded), 503 when not.
struct HealthRoutes {
    let components: ServiceComponents
    let checker: HealthChecker

    func register(on router: Router<BulwarkRequestContext>) {
        router.get("health/live") { _, _ in
            JSONBody(["status": "alive"]).response(status: .ok)
        }
        router.get("health/ready") { _, _ in
            let readiness = await checker.readiness()
            return JSONBody(readiness).response(status: readiness.ready ? .ok : .serviceUnavailable)
        }
        router.get("health") { _, _ in
            let report = await checker.report()
            return JSONBody(report).response(status: report.status == .unhealthy ? .serviceUnavailable : .ok)
        }
    }
}
