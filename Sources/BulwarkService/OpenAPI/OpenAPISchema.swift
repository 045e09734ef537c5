/// The JSON Schemas of the OpenAPI document, each value rule written once and used by every parameter and body
/// that carries such a value.
enum OpenAPISchema {
    /// A breaker's name, as `SharedState` accepts it.
    static let breakerName = pattern("^[A-Za-z0-9._-]{1,64}$")
    /// A dead-letter queue's name, as `SharedState` accepts it.
    static let queueName = pattern("^[A-Za-z0-9._-]{1,64}$")
    /// A dead letter's id: a Redis stream id.
    static let letterID = pattern("^[0-9]{1,20}-[0-9]{1,20}$")
    /// A cache key, tag or prefix: 1 to 512 bytes.
    static let cacheKey = string(length: 1...512)
    /// A session's user.
    static let sessionUser = pattern("^[A-Za-z0-9._@+-]{1,128}$")
    /// A session id: 256 random bits in hex.
    static let sessionID = pattern("^[0-9a-f]{64}$")
    /// An idempotency key.
    static let idempotencyKey = string(length: 1...255)
    /// The owner of an idempotency key.
    static let idempotencyScope = pattern("^[A-Za-z0-9._:@-]{1,128}$")
    /// How many dead letters one request reads or retries.
    static let letterLimit = integer(1...1000)
    /// How old a dead letter must be to be purged, in seconds: up to ten years.
    static let letterAge = integer(1...315_360_000)
    /// Any JSON object: the shape of the service's answers, described in the admin API's documentation.
    static let anyObject: JSONValue = .object(["type": "object"])
    /// Any text.
    static let text: JSONValue = .object(["type": "string"])
    /// The error envelope every error answer carries.
    static let errorEnvelopeReference: JSONValue = .object(["$ref": "#/components/schemas/ErrorEnvelope"])

    /// `{"error":{code,message,timestamp,correlationId,details}}`, as `ErrorEnvelope` encodes it.
    static let errorEnvelope = object(
        required: ["error"],
        properties: [
            "error": object(
                required: ["code", "message", "timestamp", "correlationId", "details"],
                properties: [
                    "code": text,
                    "message": text,
                    "timestamp": .object(["type": "string", "format": "date-time"]),
                    "correlationId": text,
                    "details": anyObject,
                ]
            )
        ]
    )

    /// A string that matches `regularExpression`.
    static func pattern(_ regularExpression: String) -> JSONValue {
        .object(["type": "string", "pattern": .string(regularExpression)])
    }

    /// A string whose length is in `length`.
    static func string(length: ClosedRange<Int>) -> JSONValue {
        .object(["type": "string", "minLength": .integer(length.lowerBound), "maxLength": .integer(length.upperBound)])
    }

    /// A whole number in `range`.
    static func integer(_ range: ClosedRange<Int>) -> JSONValue {
        .object(["type": "integer", "minimum": .integer(range.lowerBound), "maximum": .integer(range.upperBound)])
    }

    /// A string that is one of `values`.
    static func oneOf(_ values: [String]) -> JSONValue {
        .object(["type": "string", "enum": .array(values.map(JSONValue.string))])
    }

    /// An array of `count` items, each of schema `items`.
    static func array(of items: JSONValue, count: ClosedRange<Int>) -> JSONValue {
        .object(["type": "array", "minItems": .integer(count.lowerBound), "maxItems": .integer(count.upperBound), "items": items])
    }

    /// An object with the fields `required` and any of `properties`.
    static func object(required: [String], properties: [String: JSONValue]) -> JSONValue {
        .object(["type": "object", "required": .array(required.map(JSONValue.string)), "properties": .object(properties)])
    }

    /// An object with exactly one of `properties` and nothing else.
    static func exactlyOne(of properties: [String: JSONValue]) -> JSONValue {
        .object([
            "type": "object",
            "additionalProperties": .bool(false),
            "minProperties": 1,
            "maxProperties": 1,
            "properties": .object(properties),
        ])
    }
}
