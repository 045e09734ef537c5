import Hummingbird
import Logging
import Resilience
import SharedState

/// `GET /api/v1/pipelines` and `POST /api/v1/pipelines/{name}/switches/{policy}`: the fleet-wide kill switches
/// of the named pipelines. A change is written to Redis and published in one atomic step, so every instance
/// applies it within milliseconds; while Redis is unreachable it applies to this instance only and says so.
struct PolicySwitchRoutes {
    let components: ServiceComponents

    /// What a change takes: `{"on": false}` switches the policy off, `{"on": true}` back on.
    struct Body: Decodable {
        let on: Bool
    }

    func register(on routes: RouteRegistrar) {
        routes.read("api/v1/pipelines") { _, _ in
            let pipelines: [PolicySwitchState]
            do {
                pipelines = try await components.switches.store.all()
            } catch {
                throw APIError(.unavailable, "the kill switches cannot be read: Redis is unreachable", underlying: error)
            }
            return JSONBody(PolicySwitchList(pipelines: pipelines)).response(status: .ok)
        }
        routes.change("api/v1/pipelines/:name/switches/:policy") { request, context in
            let name = try PipelineName(try context.pathParameter("name"))
            let policy = try context.pathParameter("policy")
            guard let kind = PolicyKind(rawValue: policy) else {
                throw APIError(
                    .notFound,
                    "unknown policy '\(LogEscaping.escaped(policy, limit: 64))'",
                    details: ["allowed": .array(PolicyKind.allCases.map { .string($0.rawValue) })]
                )
            }
            let body = try await request.decodeBody(as: Body.self, context: context)
            let change: PolicySwitchChange?
            do {
                change = try await components.switches.change(name.value, [kind], on: body.on)
            } catch {
                throw APIError(.unavailable, "the kill switch cannot be changed: Redis is unreachable", underlying: error)
            }
            guard let change else {
                throw APIError(.notFound, "no instance has registered a pipeline named '\(name)'", details: ["pipeline": .string(name.value)])
            }
            context.logger.notice(
                "operator changed a kill switch",
                metadata: [
                    "pipeline.name": "\(name)", "policy": "\(kind)", "switch.state": "\(body.on ? "on" : "off")",
                    "switch.scope": "\(change.scope.rawValue)",
                ]
            )
            return JSONBody(PolicySwitchAnswer(change: change, policy: kind, on: body.on)).response(status: .ok)
        }
    }
}

/// What `GET /api/v1/pipelines` answers: every pipeline the fleet registered, with its switched-off policies.
struct PolicySwitchList: Encodable {
    let pipelines: [PolicySwitchState]
}

/// What a kill-switch change answers.
struct PolicySwitchAnswer: Encodable {
    /// The pipeline.
    let pipeline: String
    /// The policy changed.
    let policy: String
    /// Whether it is on now.
    let on: Bool
    /// Every switched-off policy of the pipeline now.
    let off: [String]
    /// `fleet`, or `local` when Redis was unreachable and only this instance changed.
    let scope: String

    init(change: PolicySwitchChange, policy: PolicyKind, on: Bool) {
        pipeline = change.state.pipeline
        self.policy = policy.rawValue
        self.on = on
        off = change.state.off
        scope = change.scope.rawValue
    }
}
