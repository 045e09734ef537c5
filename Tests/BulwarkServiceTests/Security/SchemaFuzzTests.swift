import BulwarkTestSupport
import Foundation
import RedisTestSupport
import Testing

/// Schemathesis (from PyPI, installed by `scripts/install-dependencies.sh --tests`) generates requests from the
/// OpenAPI document the instance serves — the token included, so changes run too — first with Redis up, then
/// with Redis stopped. Neither run may find a 5xx other than 503 (Redis stopped), a response outside the
/// documented schema (every error is the envelope) or a wrong content type, and the instance must survive.
@Suite(.serialized) struct SchemaFuzzTests {
    /// Seconds schemathesis may spend on each run.
    static let budget = ["40", "15"]

    @Test func theFuzzerFindsNothingWithRedisUpOrDown() async throws {
        try await ExposedInstance.run { instance in
            let schema = "\(instance.serve.url)/api/v1/openapi.json"
            for (phase, seconds) in zip(["redis-up", "redis-down"], Self.budget) {
                if phase == "redis-down" { try await instance.redis.stop() }
                // Redis stopped makes 503 the right answer; every other check still applies.
                let checks =
                    phase == "redis-up"
                    ? "not_a_server_error,response_schema_conformance,content_type_conformance"
                    : "response_schema_conformance,content_type_conformance"
                // One worker: with two, hypothesis's lambda descriptions (`ast.parse` on several threads) have crashed
                // schemathesis itself under CPython 3.11 — an error of the tool, not a finding.
                let fuzzer = try OutputProcess(
                    URL(fileURLWithPath: "/usr/bin/env"),
                    [
                        "st", "run", schema, "--checks", checks, "--header", "Authorization: Bearer \(ExposedInstance.token)",
                        "--exclude-path", "/api/v1/events", "--max-time", seconds, "--workers", "1", "--no-color",
                    ],
                    environment: ["SCHEMATHESIS_HOOKS": ""]
                )
                guard await fuzzer.waitForExit(timeout: .seconds(Int64(seconds)! * 4)) else {
                    await fuzzer.terminate()
                    Issue.record("schemathesis did not finish: \(fuzzer.text.suffix(3_000))")
                    return
                }
                let summary = fuzzer.text.split(separator: "\n").filter { $0.contains(" generated, ") || $0.contains("Seed:") }
                print("schemathesis \(phase): \(summary.joined(separator: "; "))")
                #expect(fuzzer.exitStatus != 127, "schemathesis is missing: run scripts/install-dependencies.sh --tests")
                #expect(fuzzer.exitStatus == 0, "schemathesis \(phase) found failures:\n\(fuzzer.text.suffix(6_000))")
                let generatedCases = summary.contains { $0.contains(" generated, ") }
                #expect(generatedCases, "schemathesis ran no test case: \(fuzzer.text.suffix(2_000))")
                #expect(await instance.isAlive(), "the instance died during the \(phase) run")
            }
            // What the instance answered over both runs, by its own metrics: no 5xx but 503.
            let metrics = try await instance.request("GET", "/metrics").body
            let serverErrors = metrics.split(separator: "\n").filter {
                $0.hasPrefix("bulwark_http_requests_total") && $0.contains("status=\"5") && !$0.contains("status=\"503\"")
            }
            #expect(serverErrors.isEmpty, "\(serverErrors)")
            #expect(metrics.contains("bulwark_http_requests_total"), "the requests were counted")
        }
    }
}
