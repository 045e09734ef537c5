import Hummingbird
import Logging
import Resilience
import SharedState

/// `POST /api/v1/breakers/{name}/open|close|reset|disable`: operator changes that reach every instance
/// (the transition is published with the change, in one atomic step in Redis).
struct BreakerCommandRoutes {
    let components: ServiceComponents

    /// The actions the path may name, and the store command each one is.
    static let actions: [String: SharedBreakerStore.Command] = [
        "open": .isolate, "close": .close, "reset": .reset, "disable": .disable,
    ]

    func register(on routes: RouteRegistrar) {
        routes.change("api/v1/breakers/:name/:action") { _, context in
            let name = try BreakerName(try context.pathParameter("name"))
            let action = try context.pathParameter("action")
            guard let command = Self.actions[action] else {
                throw APIError(
                    .notFound,
                    "unknown breaker action '\(action)'",
                    details: ["allowed": .array(Self.actions.keys.sorted().map(JSONValue.string))]
                )
            }
            try await requireKnown(name)
            let snapshot = try await components.breakers.store.command(command, breaker: name)
            context.logger.notice("operator changed a breaker", metadata: ["breaker.name": "\(name)", "breaker.action": "\(action)"])
            return JSONBody(
                BreakerChange(breaker: name.value, action: action, state: snapshot.state.description, generation: snapshot.generation)
            ).response(status: .ok)
        }
    }

    /// Refuses names no instance has registered, so that a typo does not create a new breaker in Redis.
    private func requireKnown(_ name: BreakerName) async throws {
        let known: [String: SharedBreakerDescriptor]
        do {
            known = try await components.directory.breakers(client: components.client)
        } catch {
            throw APIError(.unavailable, "the breaker directory cannot be read: Redis is unreachable", underlying: error)
        }
        guard known[name.value] != nil else {
            throw APIError(.notFound, "no instance has registered a breaker named '\(name)'", details: ["breaker": .string(name.value)])
        }
    }
}

/// What a breaker change answers.
struct BreakerChange: Encodable {
    let breaker: String
    let action: String
    let state: String
    let generation: UInt64
}
