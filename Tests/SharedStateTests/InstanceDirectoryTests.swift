import RedisClient
import RedisTestSupport
import Resilience
import SharedState
import Testing

@Suite struct InstanceDirectoryTests {
    @Test func runningRegistriesListThemselvesAndTheirBreakersAndLeaveOnStop() async throws {
        let server = try await RedisServerProcess.start()
        do {
            let client = try RedisClient(url: server.url)
            defer { client.shutdown() }
            let registry = try SharedBreakerRegistry(
                client: client,
                options: SharedBreakerOptions(instanceID: "alpha", flushInterval: .milliseconds(50))
            )
            _ = try registry.breaker(
                named: "payments",
                configuration: CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(7), breakDuration: .fixed(.seconds(9))),
                scope: .quorum(instances: 2)
            )
            let service = Task { try await registry.run() }
            let directory = InstanceDirectory()
            let listed = try await eventually { () async throws -> [String] in
                let live = try await directory.liveInstances(client: client)
                guard !live.isEmpty else { throw RedisClientError(.unexpectedReply, "not listed yet") }
                return live
            }
            #expect(listed == ["alpha"])
            let descriptor = try #require(try await directory.breakers(client: client)["payments"])
            #expect(descriptor.scope == "quorum(2)")
            #expect(descriptor.rule == "consecutive")
            #expect(descriptor.threshold == 7)
            #expect(descriptor.breakMilliseconds == 9_000)

            service.cancel()
            _ = try? await service.value
            #expect(try await directory.liveInstances(client: client).isEmpty)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    @Test func registryRefusesBadNamesAndQuorums() throws {
        let client = try RedisClient(url: "redis://127.0.0.1:1")
        defer { client.shutdown() }
        let registry = try SharedBreakerRegistry(client: client)
        #expect(throws: SharedStateError.self) { try registry.breaker(named: "bad name") }
        #expect(throws: SharedStateError.self) { try registry.breaker(named: "ok", scope: .quorum(instances: 0)) }
        #expect(throws: SharedStateError.self) { try SharedBreakerRegistry(client: client, options: .init(instanceID: "")) }
        #expect(registry.breakers.isEmpty)
    }
}
