extension ResilienceProfile {
    /// A profile as a configuration file states it: a preset, and the values that override it.
    ///
    /// Decoded from JSON such as the following (every key optional; `null` removes a policy of the preset; an
    /// unknown key is refused). Durations are strings of a whole number and a unit: `ms`, `s`, `m` or `h`.
    ///
    /// ```json
    /// {
    ///   "profile": "external-api",
    ///   "timeout": "2s",
    ///   "totalTimeout": "10s",
    ///   "retry": { "retries": 2, "backoff": "exponential", "initialDelay": "200ms", "maxDelay": "5s" },
    ///   "circuitBreaker": { "consecutiveFailures": 3, "breakDuration": "10s" },
    ///   "bulkhead": null
    /// }
    /// ```
    ///
    /// | key | type | default |
    /// |---|---|---|
    /// | `profile` | `standard`, `llm-provider`, `database`, `external-api`, `message-queue` | `standard` |
    /// | `timeout`, `totalTimeout` | duration | the preset's |
    /// | `retry.retries` | retries after the first attempt, 0 to 100 | the preset's |
    /// | `retry.backoff` | `exponential`, `linear`, `constant` | the preset's |
    /// | `retry.initialDelay`, `retry.maxDelay` | duration | the preset's |
    /// | `circuitBreaker.consecutiveFailures` | failures in a row that open it (replaces a ratio) | the preset's |
    /// | `circuitBreaker.failureRatio` | ratio in (0, 1] over the window (replaces a count) | the preset's |
    /// | `circuitBreaker.minimumThroughput` | calls in the window before a ratio counts | the preset's |
    /// | `circuitBreaker.window` | duration of the sampling window | the preset's |
    /// | `circuitBreaker.breakDuration` | duration it stays open | the preset's |
    /// | `bulkhead.maxConcurrentCalls`, `bulkhead.maxQueuedCalls` | counts | the preset's |
    /// | `bulkhead.queueTimeout` | duration | the preset's |
    ///
    /// A policy the preset lacks is added with its defaults when its object is given.
    public struct Settings: Sendable, Decodable {
        var profile: String?
        var timeout: String?
        var totalTimeout: String?
        var retry: Override<RetrySettings>?
        var circuitBreaker: Override<BreakerSettings>?
        var bulkhead: Override<BulkheadSettings>?

        /// Settings that override nothing: the `standard` preset.
        public init() {}

        /// Decodes settings, refusing unknown keys.
        /// - Parameter decoder: The decoder.
        /// - Throws: `DecodingError` naming the key at fault.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: SettingsKey.self)
            try SettingsKey.refuseUnknown(in: container, known: ["profile", "timeout", "totalTimeout", "retry", "circuitBreaker", "bulkhead"])
            profile = try container.decodeIfPresent(String.self, forKey: SettingsKey("profile"))
            timeout = try container.decodeIfPresent(String.self, forKey: SettingsKey("timeout"))
            totalTimeout = try container.decodeIfPresent(String.self, forKey: SettingsKey("totalTimeout"))
            retry = try Override.decode(from: container, key: "retry")
            circuitBreaker = try Override.decode(from: container, key: "circuitBreaker")
            bulkhead = try Override.decode(from: container, key: "bulkhead")
        }

        /// The preset with these overrides, validated.
        /// - Returns: The profile.
        /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/badRequest`` whose message
        ///   starts with the key at fault (`retry.retries`, `timeout`, …).
        public func resolve() throws(ResilienceError) -> ResilienceProfile {
            let name = profile ?? "standard"
            guard var resolved = ResilienceProfile.presets[name] else {
                throw SettingsKey.fail(
                    "profile",
                    "unknown profile; expected one of \(ResilienceProfile.presets.keys.sorted().joined(separator: ", "))"
                )
            }
            if let timeout { resolved.timeout = try SettingsDuration.parse(timeout, key: "timeout") }
            if let totalTimeout { resolved.totalTimeout = try SettingsDuration.parse(totalTimeout, key: "totalTimeout") }
            switch retry {
            case nil: break
            case .remove: resolved.retry = nil
            case .set(let settings): resolved.retry = try settings.apply(to: resolved.retry ?? RetryConfiguration())
            }
            switch circuitBreaker {
            case nil: break
            case .remove: resolved.circuitBreaker = nil
            case .set(let settings): resolved.circuitBreaker = try settings.apply(to: resolved.circuitBreaker ?? CircuitBreakerConfiguration())
            }
            switch bulkhead {
            case nil: break
            case .remove: resolved.bulkhead = nil
            case .set(let settings): resolved.bulkhead = try settings.apply(to: resolved.bulkhead ?? BulkheadConfiguration())
            }
            try resolved.validate()
            return resolved
        }

        /// Parses a duration written as settings write them: a whole number and a unit (`ms`, `s`, `m`, `h`).
        /// - Parameters:
        ///   - text: Such as `500ms` or `2s`.
        ///   - key: The key it came from, for the error.
        /// - Returns: The duration.
        /// - Throws: ``ResilienceError`` whose message starts with `key`.
        public static func duration(_ text: String, key: String) throws(ResilienceError) -> Duration {
            try SettingsDuration.parse(text, key: key)
        }
    }
}

/// A policy a configuration removes (`null`) or sets.
enum Override<Value: Decodable & Sendable>: Sendable {
    case remove
    case set(Value)

    static func decode(from container: KeyedDecodingContainer<SettingsKey>, key name: String) throws -> Override? {
        let key = SettingsKey(name)
        guard container.contains(key) else { return nil }
        if try container.decodeNil(forKey: key) { return .remove }
        return .set(try container.decode(Value.self, forKey: key))
    }
}

/// A key of the settings, and the errors that name one.
struct SettingsKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) {
        stringValue = name
    }

    init?(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        nil
    }

    /// Refuses a key that is not `known`, so that a misspelt override is not silently ignored.
    static func refuseUnknown(in container: KeyedDecodingContainer<SettingsKey>, known: Set<String>) throws {
        if let unknown = container.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw DecodingError.dataCorruptedError(
                forKey: unknown,
                in: container,
                debugDescription: "unknown key; expected one of \(known.sorted().joined(separator: ", "))"
            )
        }
    }

    /// An error naming `key`.
    static func fail(_ key: String, _ message: String) -> ResilienceError {
        ResilienceError(.badRequest, message: "\(key): \(message)")
    }
}

/// Durations in settings: a whole number and a unit (`ms`, `s`, `m`, `h`).
enum SettingsDuration {
    static func parse(_ text: String, key: String) throws(ResilienceError) -> Duration {
        let units: [(suffix: String, scale: Int64)] = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            let digits = text.dropLast(suffix.count)
            // At most 9 digits: a day in milliseconds has 8, and the product cannot overflow.
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(digits) else { break }
            return .milliseconds(value * scale)
        }
        throw SettingsKey.fail(key, "expected a whole number and a unit (ms, s, m or h), such as 500ms or 2s")
    }

    static func parseIfPresent(_ text: String?, key: String) throws(ResilienceError) -> Duration? {
        guard let text else { return nil }
        return try parse(text, key: key)
    }
}
