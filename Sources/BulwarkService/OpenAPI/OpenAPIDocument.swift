import Foundation
import Resilience

/// The OpenAPI 3 document of everything `bulwark serve` answers, served at `GET /api/v1/openapi.json`: the one
/// copy of it, built from the list of operations below. `OpenAPIDocumentTests` checks it against the router's
/// routes, and `SchemaFuzzTests` runs schemathesis from it against a live instance.
enum OpenAPIDocument {
    /// The document as JSON (keys sorted, so the text is the same on every start).
    static let json: String = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding a JSONValue fails only on a number that is not finite, and the document holds none.
        return String(decoding: try! encoder.encode(document), as: UTF8.self)
    }()

    /// Every operation the service answers besides OPTIONS, in the order the document lists them.
    static let operations: [OpenAPIOperation] = [
        .read("/health/live", "Liveness: the process answers"),
        withUnavailable(.read("/health/ready", "Readiness for traffic")),
        withUnavailable(.read("/health", "Health report: Redis, disk, memory, fallback")),
        .read("/metrics", "Every metric in the Prometheus text format", answer: .text("Metrics", mediaType: "text/plain")),
        .read("/", "The live breaker dashboard", answer: .text("The page", mediaType: "text/html")),
        .read("/dashboard/app.css", "The dashboard's stylesheet", answer: .text("CSS", mediaType: "text/css")),
        .read("/dashboard/app.js", "The dashboard's script", answer: .text("JavaScript", mediaType: "text/javascript")),
        .read("/api/v1/openapi.json", "This document"),
        .read("/api/v1/instances", "The live instances of the fleet"),
        .read(
            "/api/v1/events",
            "The dashboard's live feed as server-sent events (at most maximumEventStreams at once; 503 with Retry-After beyond)",
            answer: .text("Events", mediaType: "text/event-stream")
        ),
        .read("/api/v1/breakers", "Every registered breaker as the fleet sees it"),
        .read("/api/v1/breakers/{name}", "One breaker as the fleet sees it", parameters: [Parameter.breakerName]),
        .change(
            "/api/v1/breakers/{name}/{action}",
            "Force a breaker open, close, reset or disable it on every instance",
            parameters: [
                Parameter.breakerName,
                .path("action", "What to do", OpenAPISchema.oneOf(["open", "close", "reset", "disable"])),
            ]
        ),
        .read("/api/v1/pipelines", "Every pipeline the fleet registered, with its switched-off policies (kill switches)"),
        .change(
            "/api/v1/pipelines/{name}/switches/{policy}",
            "Switch one policy of a pipeline off or on, on every instance",
            parameters: [
                .path("name", "The pipeline's name", OpenAPISchema.breakerName),
                .path("policy", "The policy", OpenAPISchema.oneOf(PolicyKind.allCases.map(\.rawValue))),
            ],
            body: OpenAPISchema.object(required: ["on"], properties: ["on": .object(["type": "boolean"])])
        ),
        .read("/api/v1/cache", "One cache entry as Redis holds it", parameters: [.query("key", "The cache key", OpenAPISchema.cacheKey)]),
        .change(
            "/api/v1/cache/invalidate",
            "Invalidate cache entries on every instance: exactly one of keys, prefix, tag",
            body: OpenAPISchema.exactlyOne(of: [
                "keys": OpenAPISchema.array(of: OpenAPISchema.cacheKey, count: 1...1000),
                "prefix": OpenAPISchema.cacheKey,
                "tag": OpenAPISchema.cacheKey,
            ])
        ),
        .read(
            "/api/v1/sessions",
            "A user's sessions, ids shortened to their first 8 characters",
            parameters: [.query("user", "The user", OpenAPISchema.sessionUser)]
        ),
        .change(
            "/api/v1/sessions/revoke",
            "Revoke all of a user's sessions, or one by id: exactly one of user, id",
            body: OpenAPISchema.exactlyOne(of: ["user": OpenAPISchema.sessionUser, "id": OpenAPISchema.sessionID])
        ),
        .read(
            "/api/v1/idempotency/{key}",
            "An idempotency record, its result shown only by size",
            parameters: Parameter.idempotencyRecord
        ),
        .change("/api/v1/idempotency/{key}/delete", "Delete an idempotency record", parameters: Parameter.idempotencyRecord),
        .read(
            "/api/v1/dlq/{queue}",
            "A page of a queue's dead letters, oldest first",
            parameters: [
                Parameter.queue,
                .query("after", "The cursor of the previous page's 'next'", OpenAPISchema.letterID, isRequired: false),
                .query("limit", "Letters per page", OpenAPISchema.letterLimit, isRequired: false),
            ]
        ),
        .change(
            "/api/v1/dlq/{queue}/{id}/retry",
            "Retry one letter through this instance's handler",
            parameters: [Parameter.queue, .path("id", "The letter's id", OpenAPISchema.letterID)]
        ),
        .change(
            "/api/v1/dlq/{queue}/retry",
            "Retry the oldest letters, one after another",
            parameters: [Parameter.queue],
            body: OpenAPISchema.object(required: ["limit"], properties: ["limit": OpenAPISchema.letterLimit])
        ),
        .change(
            "/api/v1/dlq/{queue}/purge",
            "Delete letters older than olderThanSeconds",
            parameters: [Parameter.queue],
            body: OpenAPISchema.object(required: ["olderThanSeconds"], properties: ["olderThanSeconds": OpenAPISchema.letterAge])
        ),
    ]

    /// The whole document.
    static var document: JSONValue {
        var paths: [String: JSONValue] = [:]
        for operation in operations {
            var methods: [String: JSONValue] = [:]
            if case .object(let existing) = paths[operation.path] { methods = existing }
            methods[operation.method] = operation.json
            paths[operation.path] = .object(methods)
        }
        return .object([
            "openapi": "3.0.3",
            "info": .object([
                "title": "Bulwark admin API",
                "version": "1",
                "description": .string(
                    "Health, metrics, dashboard and the admin API of `bulwark serve`. Reads (GET) are open to anyone who can reach the port; "
                        + "changes (POST) need `Authorization: Bearer <admin token>` and, when they carry a body, `Content-Type: application/json`. "
                        + "Every error is the envelope `{\"error\":{code,message,timestamp,correlationId,details}}`. "
                        + "Every path also answers OPTIONS with 204 and `Allow`."
                ),
            ]),
            "paths": .object(paths),
            "components": .object([
                "securitySchemes": .object([
                    "adminToken": .object([
                        "type": "http",
                        "scheme": "bearer",
                        "description": "BULWARK_ADMIN_TOKEN: 16 to 4096 visible ASCII characters",
                    ])
                ]),
                "schemas": .object(["ErrorEnvelope": OpenAPISchema.errorEnvelope]),
            ]),
        ])
    }

    /// The parameters several operations share.
    private enum Parameter {
        static let breakerName = OpenAPIParameter.path("name", "The breaker's name", OpenAPISchema.breakerName)
        static let queue = OpenAPIParameter.path("queue", "The queue", OpenAPISchema.queueName)
        static let idempotencyRecord: [OpenAPIParameter] = [
            .path("key", "The idempotency key", OpenAPISchema.idempotencyKey),
            .query("scope", "The owner of the key (default: default)", OpenAPISchema.idempotencyScope, isRequired: false),
        ]
    }

    /// A health read that answers 503 when the instance is not ready or unhealthy.
    private static func withUnavailable(_ operation: OpenAPIOperation) -> OpenAPIOperation {
        var operation = operation
        operation.unavailable = "Not ready or unhealthy"
        return operation
    }
}
