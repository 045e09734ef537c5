import BulwarkTestSupport
import Foundation
import RedisClient
import RedisTestSupport
import Testing

/// One regression test per finding of the HTTP surface's review (issue 13), each against a real `bulwark serve`
/// on a real redis-server, attacked over raw HTTP as an attacker would.
@Suite(.serialized) struct HTTPSurfaceRegressionTests {
    static let wrongToken = "wrong-token-0123456789abcdef"

    /// Spellings of `/api/v1/breakers/payments/open` a router may treat as the same route.
    static func spellings(port: Int) -> [String] {
        let path = "breakers/\(ExposedInstance.breaker)/open"
        return [
            "/api/v1/\(path)", "//api/v1/\(path)", "/api//v1/\(path)", "///api/v1/\(path)", "/api/v1//\(path)",
            "/api/v1/\(path)/", "/api/v1/./\(path)", "/api/v1/x/../\(path)", "/%61pi/v1/\(path)", "/api/v1/breakers/payments/%6Fpen",
            "/API/v1/\(path)", "/api/V1/\(path)", "http://127.0.0.1:\(port)/api/v1/\(path)", "http://127.0.0.1:\(port)//api/v1/\(path)",
            "http://evil.example//api/v1/\(path)", "/api/v1/\(path)?x=1", "/api/v1/\(path)#f",
        ]
    }

    // Finding 1: authorization by the path's spelling.
    @Test func noSpellingOfAPathReachesAChangeWithoutTheToken() async throws {
        try await ExposedInstance.run { instance in
            let before = try await instance.snapshot()
            for target in Self.spellings(port: instance.serve.port) {
                let anonymous = try await instance.request("POST", target)
                #expect([400, 401, 404].contains(anonymous.status), "\(target) answered \(anonymous.status) without a token")
                // Wrong tokens from another address, which the failure gate may close (429) after a few.
                let wrong = try await instance.request("POST", target, token: Self.wrongToken, source: "127.0.0.3")
                #expect([400, 401, 404, 429].contains(wrong.status), "\(target) answered \(wrong.status) with a wrong token")
            }
            #expect(try await instance.snapshot() == before)
            // The right token does reach it, so the refusals above are the check, not a dead route.
            #expect(try await instance.request("POST", "/api/v1/breakers/payments/open", token: ExposedInstance.token).status == 200)
        }
    }

    // Finding 1: an instance with no admin token refuses every change, however it is spelled.
    @Test func anInstanceWithoutATokenRefusesEveryChange() async throws {
        try await ExposedInstance.run(token: nil) { instance in
            let before = try await instance.snapshot()
            for target in Self.spellings(port: instance.serve.port) {
                for token in [nil, ExposedInstance.token] {
                    let response = try await instance.request("POST", target, token: token)
                    #expect([400, 403, 404].contains(response.status), "\(target) answered \(response.status) on an instance without a token")
                }
            }
            #expect(try await instance.snapshot() == before)
        }
    }

    // Finding 2: one number crashed the process.
    @Test func anOverflowingPurgeAgeIs400AndChangesNothing() async throws {
        try await ExposedInstance.run { instance in
            let before = try await instance.snapshot()
            for age in ["9223372036854776", "9223372036854775807", "315360001", "0", "-1", "1e300", "18446744073709551616"] {
                let response = try await instance.request(
                    "POST",
                    "/api/v1/dlq/orders/purge",
                    token: ExposedInstance.token,
                    headers: [("Content-Type", "application/json")],
                    body: #"{"olderThanSeconds":\#(age)}"#
                )
                #expect(response.status == 400, "olderThanSeconds \(age) answered \(response.status)")
                #expect(response.envelope["code"] as? String == "validation_failed")
            }
            #expect(await instance.isAlive())
            #expect(try await instance.snapshot() == before)
        }
    }

    // Finding 3: strangers locked the operator out.
    @Test func strangersCannotLockTheOperatorOut() async throws {
        try await ExposedInstance.run { instance in
            // Anonymous changes, preflights and unknown paths: none of them is a guess.
            for _ in 0..<15 {
                #expect(try await instance.request("POST", "/api/v1/cache/invalidate").status == 401)
                #expect(try await instance.request("OPTIONS", "/api/v1/cache/invalidate").status == 204)
                #expect(try await instance.request("POST", "/api/v1/nothing/here").status == 404)
            }
            // A guesser from another address locks only itself out.
            for _ in 0..<10 {
                #expect(
                    try await instance.request("POST", "/api/v1/breakers/payments/close", token: Self.wrongToken, source: "127.0.0.2").status == 401
                )
            }
            let locked = try await instance.request("POST", "/api/v1/breakers/payments/close", token: ExposedInstance.token, source: "127.0.0.2")
            #expect(locked.status == 429)
            let retryAfter = locked.header("Retry-After")
            let retryAfterWithinAMinute = retryAfter.flatMap(Int.init).map { (1...60).contains($0) }
            #expect(retryAfterWithinAMinute == true, "Retry-After: \(retryAfter ?? "none")")
            let operatorChange = try await instance.request("POST", "/api/v1/breakers/payments/close", token: ExposedInstance.token)
            #expect(operatorChange.status == 200)
        }
    }

    // Finding 4: the Redis password printed in clear by a malformed URL.
    @Test(arguments: [
        "redis//:hunter2@127.0.0.1:6379", "redis:/:hunter2@127.0.0.1", ":hunter2@127.0.0.1", "redis//user:hunter2@h", "hunter2@127.0.0.1:6379",
        ":hunter2@h://x",
    ])
    func aMalformedRedisURLNeverShowsItsPassword(_ url: String) async throws {
        let serve = try OutputProcess(
            ServeProcess.executable,
            ["serve"],
            environment: ["REDIS_URL": url, "BULWARK_PORT": "0", "BULWARK_ADMIN_TOKEN": ExposedInstance.token]
        )
        #expect(await serve.waitForExit(timeout: .seconds(30)))
        #expect(serve.exitStatus != 0)
        #expect(serve.text.contains("redisURL"))
        #expect(!serve.text.contains("hunter2"), "\(serve.text)")
    }

    // Finding 5: refused names and keys were logged raw, so a GET could forge log lines.
    @Test func controlCharactersFromOutsideAreEscapedInTheLog() async throws {
        try await ExposedInstance.run { instance in
            let forged = "%0D%0Abulwark-forged%20operator%20changed%20a%20breaker%00%1B[2J"
            let targets = [
                "/api/v1/breakers/x\(forged)", "/api/v1/cache?key=k\(forged)", "/api/v1/sessions?user=u\(forged)",
                "/api/v1/idempotency/k\(forged)?scope=s\(forged)", "/api/v1/dlq/q\(forged)?after=a\(forged)", "/nothing\(forged)",
            ]
            for target in targets {
                let response = try await instance.request("GET", target)
                #expect((400..<500).contains(response.status), "\(target)")
            }
            let changes = [("/api/v1/breakers/x/open\(forged)", nil as String?), ("/api/v1/breakers/payments/x\(forged)", nil)]
            for (target, body) in changes {
                _ = try await instance.request("POST", target, token: ExposedInstance.token, body: body)
            }
            let marker = try await instance.request("GET", "/api/v1/breakers/marker%0Adone")
            #expect(marker.status == 400)
            let log = try await instance.serve.process.waitFor("the last refusal in the log") { $0.contains("marker") ? $0 : nil }
            let lines = log.split(separator: "\n", omittingEmptySubsequences: false)
            let forgedLine = lines.contains { $0.hasPrefix("bulwark-forged") }
            #expect(!forgedLine, "\(log)")
            #expect(!log.contains("\u{1B}"))
            #expect(!log.contains("\u{0}"))
            #expect(log.contains("bulwark-forged"), "the refusals are logged, escaped")
        }
    }

    // Finding 6: a client sending half its headers was held for minutes.
    @Test func halfSentHeadersAreAnswered408OrClosedWithinTheReadTimeout() async throws {
        try await ExposedInstance.run(environment: ["BULWARK_REQUEST_READ_TIMEOUT_S": "2", "BULWARK_IDLE_TIMEOUT_S": "2"]) { instance in
            let headers = try await RawHTTPConnection.open(port: instance.serve.port)
            try await headers.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            let answer = try await headers.waitForClose(timeout: .seconds(20))
            #expect(answer.isEmpty || answer.hasPrefix("HTTP/1.1 408"), "\(answer)")

            let body = try await RawHTTPConnection.open(port: instance.serve.port)
            try await body.send(
                "POST /api/v1/cache/invalidate HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(ExposedInstance.token)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"keys\":"
            )
            _ = try await body.waitForClose(timeout: .seconds(20))

            let idle = try await RawHTTPConnection.open(port: instance.serve.port)
            #expect(try await idle.request("GET", "/health/live", keepAlive: true).status == 200)
            _ = try await idle.waitForClose(timeout: .seconds(20))
            #expect(await instance.isAlive())
        }
    }

    // Finding 6: event streams had no cap.
    @Test func eventStreamsBeyondTheCapAre503WithRetryAfter() async throws {
        try await ExposedInstance.run(environment: ["BULWARK_MAX_EVENT_STREAMS": "3"]) { instance in
            var open: [RawHTTPConnection] = []
            for _ in 0..<3 {
                let stream = try await RawHTTPConnection.open(port: instance.serve.port)
                #expect(try await stream.request("GET", "/api/v1/events", keepAlive: true).status == 200)
                open.append(stream)
            }
            let refused = try await instance.request("GET", "/api/v1/events")
            #expect(refused.status == 503)
            #expect(refused.header("Retry-After") != nil)
            #expect(refused.envelope["code"] as? String == "dependency_unavailable")
            #expect(await instance.isAlive())
            for stream in open { stream.close() }
        }
    }

    // Finding 7: bodies were not checked for their content type, and OPTIONS answered 401.
    @Test func aChangeWithANonJSONBodyIs415AndOPTIONSIs204WithoutCORS() async throws {
        try await ExposedInstance.run { instance in
            let before = try await instance.snapshot()
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", nil] {
                let headers = type.map { [("Content-Type", $0)] } ?? []
                let response = try await instance.request(
                    "POST",
                    "/api/v1/cache/invalidate",
                    token: ExposedInstance.token,
                    headers: headers,
                    body: #"{"keys":["user:1"]}"#
                )
                #expect(response.status == 415, "\(type ?? "no content type") answered \(response.status)")
                #expect(response.envelope["code"] as? String == "unsupported_media_type")
            }
            #expect(try await instance.snapshot() == before)
            let preflight = try await instance.request(
                "OPTIONS",
                "/api/v1/cache/invalidate",
                headers: [("Origin", "http://evil.example"), ("Access-Control-Request-Method", "POST")]
            )
            #expect(preflight.status == 204)
            #expect(preflight.header("Allow")?.contains("POST") == true)
            let grantsCrossOrigin = preflight.headers.keys.contains { $0.hasPrefix("access-control-") }
            #expect(!grantsCrossOrigin, "\(preflight.headers)")
        }
    }

    // Finding 9: one invalid entry in the breaker index made the overview 503.
    @Test func theOverviewSkipsAnInvalidIndexEntryAndLogsItOnce() async throws {
        try await ExposedInstance.run { instance in
            _ = try await instance.client.send(
                "HSET",
                "\(ExposedInstance.prefix):breakers",
                "bad name{x}",
                #"{"breakMilliseconds":5000,"halfOpenPermits":1,"halfOpenSuccesses":1,"minimumThroughput":10,"rule":"consecutive","scope":"shared","threshold":5,"windowMilliseconds":10000}"#
            )
            for _ in 0..<3 {
                let response = try await instance.request("GET", "/api/v1/breakers")
                #expect(response.status == 200)
                let names = (response.json["breakers"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                #expect(names == [ExposedInstance.breaker])
            }
            let log = try await instance.serve.process.waitFor("the skipped entry in the log") { $0.contains("bad name{x}") ? $0 : nil }
            #expect(log.components(separatedBy: "bad name{x}").count == 2, "logged once: \(log)")
        }
    }

    // Finding 10: a token of 16 spaces was accepted at start-up but could never match.
    @Test(arguments: [String(repeating: " ", count: 16), " padded-token-0123456789 ", "short-token", "tab\tseparated-token-0123"])
    func anUnusableAdminTokenStopsTheStart(_ token: String) async throws {
        let serve = try OutputProcess(ServeProcess.executable, ["serve"], environment: ["BULWARK_PORT": "0", "BULWARK_ADMIN_TOKEN": token])
        #expect(await serve.waitForExit(timeout: .seconds(30)))
        #expect(serve.exitStatus != 0)
        #expect(serve.text.contains("'adminToken'"))
    }
}
