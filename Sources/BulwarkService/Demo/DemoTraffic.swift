import Logging
import Resilience
import ServiceLifecycle
import SharedState

/// `bulwark serve --demo`: guarded traffic through three shared breakers — `demo-catalog` (a healthy
/// dependency), `demo-payments` (flapping) and `demo-shipping` (down) — so that the dashboard moves at
/// once, and several demo instances on one Redis show the breakers shared. Each call goes through a
/// bulkhead, a retry, the breaker and an attempt timeout, in the one order of `PolicyPipeline`, each with its
/// fleet-wide kill switch (`bulwark switch off demo-payments retry`); a dead-letter
/// handler for the `demo-orders` queue retries through the catalog.
struct DemoTraffic: Service {
    let components: ServiceComponents
    let logger: Logger

    /// Calls per second through each breaker.
    static let callsPerSecond = 20

    func run() async throws {
        let started = ContinuousClock.now
        let dependencies = [
            DemoDependency(name: "demo-catalog", character: .healthy, started: started),
            DemoDependency(name: "demo-payments", character: .flapping, started: started),
            DemoDependency(name: "demo-shipping", character: .down, started: started),
        ]
        let pipelines = try dependencies.map { try pipeline(for: $0) }
        let catalog = dependencies[0]
        let orders = try DeadLetterQueueName("demo-orders")
        components.deadLetters.register(orders) { _ in _ = try await catalog.call() }
        logger.info("demo traffic started", metadata: ["demo.breakers": "\(dependencies.map(\.name))"])
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for (dependency, pipeline) in zip(dependencies, pipelines) {
                    group.addTask { await drive(dependency, through: pipeline, deadLetters: orders) }
                }
            }
        }
    }

    private func pipeline(for dependency: DemoDependency) throws -> ResiliencePipeline<String> {
        let breaker = try components.breakers.breaker(
            named: dependency.name,
            configuration: CircuitBreakerConfiguration(
                failureThreshold: .failureRatio(0.5),
                window: .time(.seconds(10), buckets: 10),
                minimumThroughput: 10,
                breakDuration: .fixed(.seconds(5)),
                halfOpen: .init(permittedCalls: 2, successThreshold: 2, maximumWait: .seconds(10))
            )
        )
        // The one policy order (bulkhead → retry → breaker → attempt timeout); an open breaker's rejection is
        // not retried by default, so it comes back at once.
        return ResiliencePipelineBuilder<String>(name: dependency.name)
            .bulkhead(try Bulkhead(name: dependency.name, configuration: BulkheadConfiguration(maxConcurrentCalls: 8, maxQueuedCalls: 8)))
            .retry(try RetryPolicy(name: dependency.name, configuration: RetryConfiguration(maxAttempts: 2, backoff: .constant(.milliseconds(10)))))
            .circuitBreaker(breaker)
            .attemptTimeout(TimeoutPolicy(name: dependency.name, timeout: .milliseconds(500)))
            .switches(try components.switches.switches(forPipeline: dependency.name))
            .build()
    }

    /// Calls at a steady rate until cancelled; each call runs in its own task so a slow one does not
    /// hold up the rate. A call that failed after its retries (not one an open breaker refused) becomes a
    /// dead letter, as an order that could not ship would.
    private func drive(_ dependency: DemoDependency, through pipeline: ResiliencePipeline<String>, deadLetters: DeadLetterQueueName) async {
        let interval = Duration.seconds(1) / Self.callsPerSecond
        let store = components.deadLetters
        await withDiscardingTaskGroup { group in
            var sequence = 0
            while !Task.isCancelled {
                sequence += 1
                let order = "\(dependency.name)-order-\(sequence)"
                group.addTask {
                    do {
                        _ = try await pipeline.execute { try await dependency.call() }
                    } catch let error as ResilienceError where error.code != .breakerOpen && error.code != .bulkheadFull {
                        _ = try? await store.add(to: deadLetters, payload: Array(order.utf8), error: error.code.description, attempts: 2)
                    } catch {
                        // Refused without running: nothing was attempted, so there is nothing to retry later.
                    }
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
