import BulwarkInstanceKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import RedisClient
import RedisTestSupport
import Resilience
import SharedState
import Synchronization
import Testing

@testable import BulwarkService

/// A failure the retry retries.
private struct DependencyDown: Error, ResilienceClassifiable {
    var resilienceKind: ResilienceError.Code { .unavailable }
}

/// The kill switches through the admin API, checked where they land: in Redis, in the serving instance and in
/// another instance's pipeline.
@Suite(.serialized) struct PolicySwitchAdminTests {
    /// Runs a call that always fails through `pipeline`; answers how many attempts it made.
    private func attempts(through pipeline: PolicyPipeline) async -> Int {
        let attempts = Atomic<Int>(0)
        _ = try? await pipeline.execute { () async throws -> Int in
            attempts.add(1, ordering: .relaxed)
            throw DependencyDown()
        }
        return attempts.load(ordering: .relaxed)
    }

    private func retryingPipeline(_ switches: PolicySwitches) throws -> PolicyPipeline {
        PolicyPipeline(
            name: "payments",
            retry: try RetryPolicy(configuration: RetryConfiguration(maxAttempts: 3, backoff: .constant(.milliseconds(1)))),
            switches: switches
        )
    }

    @Test func switchingRetryOffThroughTheAdminAPIStopsRetriesOnEveryInstance() async throws {
        try await ServiceHarness.run { service in
            var logger = Logger(label: "other")
            logger.logLevel = .critical
            let otherClient = try RedisClient(url: service.redis.url, logger: logger)
            defer { otherClient.shutdown() }
            let other = try PolicySwitchboard(client: otherClient, keyPrefix: service.components.configuration.keyPrefix, logger: logger)
            let otherPipeline = try retryingPipeline(try other.switches(forPipeline: "payments"))
            let ownPipeline = try retryingPipeline(try service.components.switches.switches(forPipeline: "payments"))
            let listening = Task { try await other.run() }
            defer { listening.cancel() }
            try await eventually(attempts: 200) {
                guard other.status == .shared else { throw InstanceFailure(message: "the other instance does not follow the fleet yet") }
            }
            #expect(await attempts(through: otherPipeline) == 3)

            let off = try await service.send(.post, "/api/v1/pipelines/payments/switches/retry", json: #"{"on":false}"#, token: true)
            #expect(off.status == .ok)
            #expect(off.json["off"] as? [String] == ["retry"])
            #expect(off.json["scope"] as? String == "fleet")
            try await eventually(attempts: 200) {
                guard !otherPipeline.switches.isOn(.retry) else { throw InstanceFailure(message: "retry still on") }
            }
            #expect(await attempts(through: otherPipeline) == 1)
            #expect(await attempts(through: ownPipeline) == 1)

            let health = try await service.send(.get, "/health")
            let switches = health.json["switches"] as? [String: Any]
            let pipelines = switches?["pipelines"] as? [[String: Any]]
            #expect(pipelines?.first?["pipeline"] as? String == "payments")
            #expect(pipelines?.first?["off"] as? [String] == ["retry"])
            #expect(switches?["mode"] is String)
            let listed = try await service.send(.get, "/api/v1/pipelines")
            #expect((listed.json["pipelines"] as? [[String: Any]])?.first?["off"] as? [String] == ["retry"])

            let on = try await service.send(.post, "/api/v1/pipelines/payments/switches/retry", json: #"{"on":true}"#, token: true)
            #expect(on.json["off"] as? [String] == [])
            try await eventually(attempts: 200) {
                guard otherPipeline.switches.isOn(.retry) else { throw InstanceFailure(message: "retry still off") }
            }
            #expect(await attempts(through: otherPipeline) == 3)
        }
    }

    @Test func changesAreValidatedLikeEveryOtherAdminChange() async throws {
        try await ServiceHarness.run { service in
            _ = try await service.components.switches.store.register([(try PipelineName("payments"), 0)])
            let path = "/api/v1/pipelines/payments/switches/retry"
            let unknownPipeline = try await service.send(.post, "/api/v1/pipelines/nobody/switches/retry", json: #"{"on":false}"#, token: true)
            #expect(unknownPipeline.status == .notFound)
            #expect(String(buffer: unknownPipeline.body).contains("nobody"))
            let unknownPolicy = try await service.send(.post, "/api/v1/pipelines/payments/switches/teleport", json: #"{"on":false}"#, token: true)
            #expect(unknownPolicy.status == .notFound)
            #expect(String(buffer: unknownPolicy.body).contains("teleport"))
            #expect(try await service.send(.post, path, json: #"{"on":"no"}"#, token: true).status == .badRequest)
            #expect(try await service.send(.post, path, json: #"{}"#, token: true).status == .badRequest)
            #expect(
                try await service.send(.post, "/api/v1/pipelines/%7Bx%7D/switches/retry", json: #"{"on":false}"#, token: true).status == .badRequest
            )
            #expect(try await service.send(.post, path, json: #"{"on":false}"#).status == .unauthorized)
            let wrongToken = try await service.send(
                .post,
                path,
                json: #"{"on":false}"#,
                headers: [.authorization: "Bearer not-the-admin-token-at-all"]
            )
            #expect(wrongToken.status == .unauthorized)
            // Nothing was written by the refused changes.
            #expect(try await service.components.switches.store.all() == [PolicySwitchState(pipeline: "payments", mask: 0)])
        }
    }
}
