import Bulwark
import BulwarkHummingbird
import BulwarkTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import RedisClient
import RedisTestSupport
import Testing

/// The idempotency middleware on two instances sharing one Redis, per the IETF Idempotency-Key draft.
@Suite(.serialized) struct IdempotencyMiddlewareTests {
    private func key(_ value: String) -> HTTPFields { [.idempotencyKey: value] }

    @Test func theSameKeySentToBothInstancesRunsOnceAndBothGetTheSameAnswer() async throws {
        let runs = RunCounter()
        try await Fleet.run(router: { try IdempotencyApp.router($0, instance: $1, runs: runs) }) { _, a, b in
            let first = try await a.execute(uri: "/orders", method: .post, headers: key("order-1"), body: body("2 mugs"))
            #expect(first.status == .created)
            #expect(first.headers[.idempotentReplayed] == nil)
            #expect(first.text == #"{"order":1,"by":"a"}"#)
            let again = try await b.execute(uri: "/orders", method: .post, headers: key("order-1"), body: body("2 mugs"))
            #expect(again.status == .created)
            #expect(again.text == first.text)
            #expect(again.headers[.idempotentReplayed] == "true")
            #expect(again.headers[.location] == "/orders/1")
            #expect(again.headers[.contentType] == "application/json")
            // Only the configured headers are replayed; the handler's `Server` was not among them.
            #expect(again.headers[.server] == nil)
            let third = try await a.execute(uri: "/orders", method: .post, headers: key(#""order-1""#), body: body("2 mugs"))
            #expect(third.headers[.idempotentReplayed] == "true", "an sf-string key names the same key")
            #expect(runs["orders"] == 1)
        }
    }

    @Test func aKeyStillRunningAnswers409OnTheOtherInstanceWhileItsLeaseIsRenewed() async throws {
        let runs = RunCounter()
        let gate = Gate()
        let configuration = IdempotencyConfiguration(leaseDuration: .milliseconds(600))
        try await Fleet.run(router: { bulwark, name in
            let store = try IdempotencyStore(client: bulwark.client, configuration: configuration)
            return try IdempotencyApp.router(bulwark, instance: name, runs: runs, gate: gate, store: store)
        }) { fleet, a, b in
            let store = try IdempotencyStore(client: fleet.bulwarks[0].client, configuration: configuration)
            let first = Task { try await a.execute(uri: "/orders", method: .post, headers: key("slow-1"), body: body("hold")) }
            await gate.arrival()
            let busy = try await b.execute(uri: "/orders", method: .post, headers: key("slow-1"), body: body("hold"))
            #expect(busy.status == .conflict)
            #expect(busy.errorCode == "conflict")
            #expect(busy.headers[.retryAfter] == "1")
            // The lease is renewed while the handler runs: its remaining time goes up again, past its duration.
            let scope = try IdempotencyScope("default")
            let slow = try IdempotencyKey("slow-1")
            var lowest = Duration.seconds(3_600)
            var renewals = 0
            try await waitUntil("the lease was renewed three times") {
                guard let record = try await store.show(key: slow, scope: scope) else { return false }
                #expect(record.state == .inProgress)
                if record.expiresIn > lowest { renewals += 1 }
                lowest = record.expiresIn
                return renewals >= 3
            }
            let stillBusy = try await b.execute(uri: "/orders", method: .post, headers: key("slow-1"), body: body("hold"))
            #expect(stillBusy.status == .conflict)
            gate.open()
            let done = try await first.value
            #expect(done.status == .created)
            let replay = try await b.execute(uri: "/orders", method: .post, headers: key("slow-1"), body: body("hold"))
            #expect(replay.headers[.idempotentReplayed] == "true")
            #expect(replay.text == done.text)
            #expect(runs["orders"] == 1)
        }
    }

    @Test func badRequestsAreRefusedAndChangeNothing() async throws {
        let runs = RunCounter()
        try await Fleet.run(router: { try IdempotencyApp.router($0, instance: $1, runs: runs) }) { fleet, a, _ in
            let missing = try await a.execute(uri: "/orders", method: .post, body: body("x"))
            #expect(missing.status == .badRequest)
            #expect(missing.errorCode == "validation_failed")
            #expect((missing.envelope["details"] as? [String: Any])?["header"] as? String == "Idempotency-Key")
            #expect(missing.envelope["correlationId"] as? String == missing.headers[.correlationID])
            for malformed in [String(repeating: "k", count: 256), "tab\tkey", #""""#] {
                let response = try await a.execute(uri: "/orders", method: .post, headers: key(malformed), body: body("x"))
                #expect(response.status == .badRequest, "key \(malformed.debugDescription)")
            }
            let large = try await a.execute(uri: "/orders", method: .post, headers: key("large-1"), body: body(String(repeating: "y", count: 1_025)))
            #expect(large.status == .contentTooLarge)
            #expect(large.errorCode == "payload_too_large")
            #expect(try await fleet.bulwarks[0].idempotency.show(key: IdempotencyKey("large-1"), scope: IdempotencyScope("default")) == nil)
            #expect(runs["orders"] == 0)
            #expect(try await fleet.bulwarks[0].client.send("KEYS", "bulwark:idem:*").array?.isEmpty == true, "a refused request writes nothing")
            // A method that is not guarded passes without a key.
            let list = try await a.execute(uri: "/orders", method: .get)
            #expect(list.status == .ok)
            #expect(list.text == "list")
        }
    }

    @Test func aKeyReusedForAnotherRequestIs422() async throws {
        let runs = RunCounter()
        try await Fleet.run(router: { try IdempotencyApp.router($0, instance: $1, runs: runs) }) { _, a, b in
            #expect(try await a.execute(uri: "/orders", method: .post, headers: key("reuse"), body: body("2 mugs")).status == .created)
            let otherBody = try await b.execute(uri: "/orders", method: .post, headers: key("reuse"), body: body("3 mugs"))
            #expect(otherBody.status == .unprocessableContent)
            #expect(otherBody.errorCode == "unprocessable")
            let otherPath = try await b.execute(uri: "/orders?express=1", method: .post, headers: key("reuse"), body: body("2 mugs"))
            #expect(otherPath.status == .unprocessableContent)
            #expect(runs["orders"] == 1)
        }
    }

    @Test func serverErrorsThrownErrorsAndNotStoredAnswersRunAgainOnRetry() async throws {
        let runs = RunCounter()
        try await Fleet.run(router: { try IdempotencyApp.router($0, instance: $1, runs: runs) }) { _, a, b in
            #expect(try await a.execute(uri: "/flaky", method: .post, headers: key("flaky")).status == .serviceUnavailable)
            let retried = try await b.execute(uri: "/flaky", method: .post, headers: key("flaky"))
            #expect(retried.status == .created)
            #expect(retried.headers[.idempotentReplayed] == nil)
            #expect(try await a.execute(uri: "/flaky", method: .post, headers: key("flaky")).headers[.idempotentReplayed] == "true")
            #expect(runs["flaky"] == 2)

            let unstored = try await a.execute(uri: "/unstored", method: .post, headers: key("unstored"))
            #expect(unstored.status == .conflict)
            #expect(unstored.headers[HTTPField.Name("Bulwark-Idempotency-Not-Stored")!] == nil, "the mark never leaves")
            #expect(try await b.execute(uri: "/unstored", method: .post, headers: key("unstored")).status == .created)
            #expect(runs["unstored"] == 2)

            let thrown = try await a.execute(uri: "/throws", method: .post, headers: key("throws"))
            #expect(thrown.status == .serviceUnavailable)
            #expect(thrown.errorCode == "dependency_unavailable")
            #expect(try await b.execute(uri: "/throws", method: .post, headers: key("throws")).status == .created)
            #expect(runs["throws"] == 2)
        }
    }

    @Test func serverErrorsAreStoredWhenConfigured() async throws {
        let runs = RunCounter()
        let configuration = IdempotencyMiddlewareConfiguration(storesServerErrors: true)
        try await Fleet.run(router: { try IdempotencyApp.router($0, instance: $1, runs: runs, configuration: configuration) }) { _, a, b in
            #expect(try await a.execute(uri: "/flaky", method: .post, headers: key("flaky")).status == .serviceUnavailable)
            let replay = try await b.execute(uri: "/flaky", method: .post, headers: key("flaky"))
            #expect(replay.status == .serviceUnavailable)
            #expect(replay.headers[.idempotentReplayed] == "true")
            #expect(runs["flaky"] == 1)
        }
    }

    /// Another caller who learns (or guesses) a key is not replayed the first caller's answer: by default a key
    /// belongs to the credentials it came with.
    @Test func aKeySentWithOtherCredentialsIsNeverAnsweredWithSomeoneElsesAnswer() async throws {
        let runs = RunCounter()
        try await Fleet.run(router: { try IdempotencyApp.router($0, instance: $1, runs: runs) }) { _, a, b in
            var alice = key("shared-key")
            alice[.authorization] = "Bearer alice-token"
            var mallory = key("shared-key")
            mallory[.authorization] = "Bearer mallory-token"
            let first = try await a.execute(uri: "/orders", method: .post, headers: alice, body: body("1 mug"))
            let other = try await b.execute(uri: "/orders", method: .post, headers: mallory, body: body("1 mug"))
            #expect(first.status == .created && other.status == .created)
            #expect(other.headers[.idempotentReplayed] == nil)
            #expect(other.text != first.text, "\(other.text)")
            let again = try await b.execute(uri: "/orders", method: .post, headers: alice, body: body("1 mug"))
            #expect(again.headers[.idempotentReplayed] == "true")
            #expect(again.text == first.text)
            #expect(runs["orders"] == 2)
        }
    }

    /// The handler ran but its answer is too large to keep: the key keeps a 500 that says so, and a retry on the
    /// other instance is answered with it instead of running the handler a second time (a duplicate order).
    @Test func anAnswerTooLargeToStoreIs500AndARetryDoesNotRunTheHandlerAgain() async throws {
        let runs = RunCounter()
        try await Fleet.run(router: { try IdempotencyApp.router($0, instance: $1, runs: runs) }) { fleet, a, b in
            let response = try await a.execute(uri: "/big", method: .post, headers: key("big"))
            #expect(response.status == .internalServerError)
            #expect(response.errorCode == "internal_error")
            let retry = try await b.execute(uri: "/big", method: .post, headers: key("big"))
            #expect(retry.status == .internalServerError)
            #expect(retry.headers[.idempotentReplayed] == "true")
            #expect(retry.text.contains("the request ran"), "\(retry.text)")
            #expect(runs["big"] == 1)
        }
    }

    /// Redis goes away while the handler runs: the handler's answer reaches the client, not a 503 that says
    /// nothing happened (the client would retry and order twice).
    @Test func whenRedisGoesAwayWhileTheHandlerRunsItsAnswerStillReachesTheClient() async throws {
        let runs = RunCounter()
        let gate = Gate()
        try await Fleet.run(router: { try IdempotencyApp.router($0, instance: $1, runs: runs, gate: gate) }) { fleet, a, _ in
            let first = Task { try await a.execute(uri: "/orders", method: .post, headers: key("vanishing"), body: body("hold")) }
            await gate.arrival()
            try await fleet.server.stop()
            gate.open()
            let done = try await first.value
            #expect(done.status == .created, "\(done.text)")
            #expect(runs["orders"] == 1)
        }
    }

    @Test func aStoredAnswerThatCannotBeReadIs500AndIsLoggedWithoutItsBytes() async throws {
        let runs = RunCounter()
        let capture = LogCapture()
        try await Fleet.run(logger: capture.logger(), router: { try IdempotencyApp.router($0, instance: $1, runs: runs) }) { fleet, a, b in
            #expect(try await a.execute(uri: "/orders", method: .post, headers: key("damaged"), body: body("1 mug")).status == .created)
            _ = try await fleet.bulwarks[0].client.send("HSET", "bulwark:idem:{default}:damaged", "result", "secret-garbage-bytes")
            let response = try await b.execute(uri: "/orders", method: .post, headers: key("damaged"), body: body("1 mug"))
            #expect(response.status == .internalServerError)
            #expect(response.errorCode == "internal_error")
            #expect(!response.text.contains("secret-garbage"))
            let loggedDamage = capture.all.filter { $0.contains("idempotency.bytes=20") && $0.contains("idempotency.key=damaged") }
            #expect(loggedDamage.count == 1, "\(capture.all)")
            let loggedBytes = capture.all.contains { $0.contains("secret-garbage") }
            #expect(!loggedBytes, "\(capture.all)")
            #expect(runs["orders"] == 1)
        }
    }

    @Test func withRedisAwayTheHandlerDoesNotRunAndTheAnswerIs503() async throws {
        let runs = RunCounter()
        try await Fleet.run(router: { try IdempotencyApp.router($0, instance: $1, runs: runs) }) { fleet, a, _ in
            try await fleet.server.stop()
            let response = try await a.execute(uri: "/orders", method: .post, headers: key("away"), body: body("1 mug"))
            #expect(response.status == .serviceUnavailable)
            #expect(response.errorCode == "dependency_unavailable")
            #expect(runs["orders"] == 0)
        }
    }

    @Test func invalidSettingsAreRefusedNamingTheField() throws {
        // Nothing connects until a request comes: no Redis is needed to check settings.
        let bulwark = try Bulwark(redisURL: "redis://127.0.0.1:1")
        let cases: [(IdempotencyMiddlewareConfiguration, String)] = [
            (.init(methods: []), "methods:"),
            (.init(maximumBodySize: 0), "maximumBodySize:"),
            (.init(maximumResponseSize: Int.max), "maximumResponseSize:"),
            (.init(replayedHeaders: Array(repeating: .contentType, count: 33)), "replayedHeaders:"),
        ]
        for (configuration, field) in cases {
            #expect {
                _ = try IdempotencyMiddleware<TestContext>(bulwark: bulwark, configuration: configuration)
            } throws: { error in
                (error as? BulwarkError)?.code == .invalidConfiguration && (error as? BulwarkError)?.message.hasPrefix(field) == true
            }
        }
        bulwark.client.shutdown()
    }
}
