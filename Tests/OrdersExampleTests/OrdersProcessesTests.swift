import BulwarkTestSupport
import Foundation
import RedisClient
import RedisTestSupport
import Testing

/// The example app as two separate `orders-example` processes on one Redis, charging at one payments provider, as
/// it would be deployed.
@Suite(.serialized) struct OrdersProcessesTests {
    private let mug = #"{"sku":"mug-1","quantity":1}"#

    @Test func twoProcessesShareOrdersAndSessions() async throws {
        try await withTwoProcesses { a, b, payments, redis in
            let cookie = try await signIn("alice", at: a.url)
            let first = try await send("POST", a.url + "/orders", headers: order(cookie, key: "p-1"), body: mug)
            let retry = try await send("POST", b.url + "/orders", headers: order(cookie, key: "p-1"), body: mug)
            #expect(first.status == 201)
            #expect(retry.status == 201)
            #expect(retry.body == first.body)
            #expect(first.headers["idempotent-replayed"] == nil)
            #expect(retry.headers["idempotent-replayed"] == "true")
            #expect(payments.received("/charges").count == 1)
            let client = try RedisClient(url: redis.url)
            #expect(try await client.send("GET", "bulwark:orders-example:next-id").int == 1)
            client.shutdown()
            // Touched on B, revoked on B, refused on A at once.
            #expect(try await send("GET", b.url + "/me", headers: ["Cookie": cookie]).body == "alice")
            #expect(try await send("POST", b.url + "/logout", headers: ["Cookie": cookie]).status == 204)
            #expect(try await send("GET", a.url + "/me", headers: ["Cookie": cookie]).status == 401)
        }
    }

    /// The provider failing through A opens the provider's shared breaker; B, which learns it through Redis, then
    /// answers `503 breaker_open` with `Retry-After` without calling the provider: the provider's request count
    /// does not move for B's order.
    @Test func theProviderFailingThroughOneInstanceOpensTheBreakerOnTheOther() async throws {
        try await withTwoProcesses { a, b, payments, _ in
            let cookie = try await signIn("alice", at: a.url)
            // While the provider is healthy, B charges once: it has its view of the provider's breaker, closed.
            let healthy = try await send("POST", b.url + "/orders", headers: order(cookie, key: "p-1"), body: mug)
            #expect(healthy.status == 201)
            #expect(try await send("GET", b.url + "/health").body.contains(#""payments":"closed""#))
            payments.script("/charges", Array(repeating: ScriptedUpstream.Reply(status: 503), count: 1_000))
            // Orders through A fail until the breaker opens: each is 503 after its attempts, and three failures in a
            // row open it. The fleet counts them in the order outcomes reach Redis, where B's earlier success may
            // arrive after A's first failures (successes are flushed every 250 ms, failures at once) and start the
            // count again, so a second order through A may be needed.
            var failedThroughA = 0
            try await waitUntil("failures through A open the breaker that B sees") {
                if try await send("GET", b.url + "/health").body.contains(#""payments":"open""#) { return true }
                if try await send("GET", a.url + "/health").body.contains(#""payments":"open""#) { return false }
                failedThroughA += 1
                let failed = try await send("POST", a.url + "/orders", headers: order(cookie, key: "fail-\(failedThroughA)"), body: mug)
                #expect(failed.status == 503)
                return false
            }
            #expect(failedThroughA >= 1)
            let reached = payments.received("/charges").count
            #expect(reached >= 4, "B's charge and at least three failures through A")

            let rejected = try await send("POST", b.url + "/orders", headers: order(cookie, key: "p-3"), body: mug)
            #expect(rejected.status == 503)
            #expect(errorCode(rejected.body) == "breaker_open")
            let retryAfter = Int(rejected.headers["retry-after"] ?? "") ?? 0
            #expect(retryAfter >= 1, "Retry-After: \(rejected.headers["retry-after"] ?? "none")")
            #expect(payments.received("/charges").count == reached, "B called the provider")
        }
    }

    /// A malformed `PAYMENTS_URL` stops the process with status 2 and a message naming the variable and what is
    /// wrong, never its value; nothing is started.
    @Test func aBadPaymentsURLStopsTheProcessNamingTheSetting() async throws {
        for (url, problem) in [
            ("ftp://payments.internal", "the scheme must be http or https"), ("http://me:hunter2@payments.internal", "user or password"),
        ] {
            let process = try OutputProcess(OrdersProcess.executable, [], environment: ["PAYMENTS_URL": url, "ORDERS_PORT": "0"])
            let exited = await process.waitForExit(timeout: .seconds(60))
            if !exited { await process.terminate() }
            #expect(exited)
            #expect(process.exitStatus == 2)
            try await waitUntil("the refusal is read from the process's output") { process.text.contains(problem) }
            #expect(process.text.contains("orders-example: PAYMENTS_URL: "), "\(process.text)")
            #expect(!process.text.contains("hunter2"))
        }
    }

    /// Starts a Redis, a payments provider and two instances on them, runs `body`, and stops everything it started
    /// whatever `body` does (showing the instances' output when it fails).
    private func withTwoProcesses(
        _ body: (_ a: OrdersProcess, _ b: OrdersProcess, _ payments: ScriptedUpstream, _ redis: RedisServerProcess) async throws -> Void
    ) async throws {
        let redis = try await RedisServerProcess.start()
        let payments = try await ScriptedUpstream.start()
        var started: [OrdersProcess] = []
        do {
            for name in ["a", "b"] {
                started.append(try await OrdersProcess.start(name, redisURL: redis.url, paymentsURL: payments.url("")))
            }
            do {
                try await body(started[0], started[1], payments, redis)
            } catch {
                Issue.record("A said:\n\(started[0].process.text)\nB said:\n\(started[1].process.text)")
                throw error
            }
        } catch {
            for process in started { await process.process.terminate() }
            await payments.stop()
            await redis.shutdown()
            throw error
        }
        for process in started { await process.stop() }
        await payments.stop()
        await redis.shutdown()
    }

    private func order(_ cookie: String, key: String) -> [String: String] {
        ["Cookie": cookie, "Idempotency-Key": key, "Content-Type": "application/json"]
    }

    /// The envelope's `code`.
    private func errorCode(_ body: String) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        return (object?["error"] as? [String: Any])?["code"] as? String
    }

    /// Polls `condition` every 100 ms until it holds; fails the test after 30 s.
    private func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting until \(what)")
        throw CancellationError()
    }
}
