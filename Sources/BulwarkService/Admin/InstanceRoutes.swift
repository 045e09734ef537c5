import Hummingbird
import SharedState

/// `GET /api/v1/instances`: the live instances of the fleet (heartbeat within the last 10 s, by Redis's clock).
struct InstanceRoutes {
    let components: ServiceComponents

    func register(on routes: RouteRegistrar) {
        routes.read("api/v1/instances") { _, _ in
            let ids: [String]
            do {
                ids = try await components.directory.liveInstances(client: components.client)
            } catch {
                throw APIError(.unavailable, "the instance list lives in Redis, which is unreachable", underlying: error)
            }
            let instances = ids.sorted().map { InstanceView(id: $0, isSelf: $0 == components.instanceID) }
            return JSONBody(InstanceList(instance: components.instanceID, instances: instances)).response(status: .ok)
        }
    }
}

/// The live instances and which one answered.
struct InstanceList: Encodable {
    let instance: String
    let instances: [InstanceView]
}

/// One live instance.
struct InstanceView: Encodable {
    let id: String
    let isSelf: Bool

    enum CodingKeys: String, CodingKey {
        case id
        case isSelf = "self"
    }
}
