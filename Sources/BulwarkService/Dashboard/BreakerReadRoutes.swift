import Hummingbird
import SharedState

/// `GET /api/v1/breakers` and `GET /api/v1/breakers/{name}`: every registered breaker as the whole fleet
/// sees it — the shared state, every live instance's last report, rates — not only this instance's view.
struct BreakerReadRoutes {
    let overview: BreakerOverview

    func register(on routes: RouteRegistrar) {
        routes.read("api/v1/breakers") { _, _ in
            JSONBody(try await overview.list()).response(status: .ok)
        }
        routes.read("api/v1/breakers/:name") { _, context in
            let name = try BreakerName(try context.pathParameter("name"))
            guard let view = try await overview.list().breakers.first(where: { $0.name == name.value }) else {
                throw APIError(.notFound, "no instance has registered a breaker named '\(name)'", details: ["breaker": .string(name.value)])
            }
            return JSONBody(view).response(status: .ok)
        }
    }
}
