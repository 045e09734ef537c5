import RedisClient

extension SharedCache {
    /// Removes keys from Redis and from every instance's in-process tier.
    /// - Returns: How many values Redis held.
    /// - Throws: ``SharedStateError`` for a malformed key (nothing is removed), when Redis is unreachable, or when
    ///   the removal could not be announced to the other instances.
    @discardableResult
    public func invalidate(keys: [String]) async throws(SharedStateError) -> Int {
        let valid = try keys.map { key throws(SharedStateError) in try CacheKey(key).value }
        guard !valid.isEmpty else { return 0 }
        let removed = try await redis("invalidate keys") { try await client.send(RedisCommand("UNLINK", arguments: valid.map(valueKey))) }
        for key in valid {
            local.remove(key)
            try await publish("k", key)
        }
        return removed.int ?? 0
    }

    /// Removes every key that starts with `prefix`, scanning in batches of 500 (never `KEYS`), from Redis and
    /// from every instance's in-process tier.
    /// - Parameters:
    ///   - prefix: The start of every key to remove.
    ///   - progress: Called after each batch with the number removed so far.
    /// - Returns: How many values were removed.
    /// - Throws: ``SharedStateError`` for a malformed prefix (nothing is removed), when Redis is unreachable, or
    ///   when the removal could not be announced to the other instances.
    @discardableResult
    public func invalidate(
        prefix: String,
        progress: @Sendable (Int) -> Void = { _ in }
    ) async throws(SharedStateError) -> Int {
        let prefix = try CacheKey(prefix, what: "prefix").value
        let pattern = Self.escapeGlob(valueKey(prefix)) + "*"
        var cursor = "0"
        var removed = 0
        repeat {
            let reply = try await redis("scan prefix") { try await client.send("SCAN", cursor, "MATCH", pattern, "COUNT", 500) }
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string, let keys = parts[1].array else {
                throw SharedStateError(.unexpectedReply, "SCAN returned \(reply)")
            }
            let names = keys.compactMap(\.string)
            if !names.isEmpty {
                removed += try await redis("unlink batch") { try await client.send(RedisCommand("UNLINK", arguments: names)) }.int ?? 0
                progress(removed)
            }
            cursor = next
        } while cursor != "0"
        local.remove(prefix: prefix)
        try await publish("p", prefix)
        return removed
    }

    /// How many values one step of ``invalidate(tag:progress:)`` removes: each step is one short script, so
    /// Redis serves other clients between steps however large the tag.
    static let tagBatchSize = 500

    /// Removes every value filed under `tag`, from Redis and from every instance's in-process tier.
    ///
    /// The tag's set is first detached in one step, then emptied in steps of 500 values: values filed
    /// under the tag after the call began are kept. Should this instance stop midway, the detached set expires
    /// with the last of its entries.
    /// - Parameters:
    ///   - tag: The tag whose values to remove.
    ///   - progress: Called after each step with the number removed so far.
    /// - Returns: How many values were removed.
    /// - Throws: ``SharedStateError`` for a malformed tag (nothing is removed), when Redis is unreachable, or when
    ///   the removal could not be announced to the other instances.
    @discardableResult
    public func invalidate(tag: String, progress: @Sendable (Int) -> Void = { _ in }) async throws(SharedStateError) -> Int {
        let tag = try CacheKey(tag, what: "tag").value
        let token = SharedBreakerOptions.randomInstanceID()
        let drains = [drainKey(tag, token), drainKey(tag, token) + ":legacy"]
        let detached = try await redis("detach tag") {
            try await client.evaluate(
                SharedCacheScripts.detachTag,
                keys: [tagKey(tag), drains[0], legacyTagKey(tag), drains[1]],
                arguments: [String]()
            )
        }
        var removed = 0
        if (detached.int ?? 0) > 0 {
            for drain in drains {
                while true {
                    let reply = try await redis("invalidate tag batch") {
                        try await client.evaluate(
                            SharedCacheScripts.invalidateTagBatch,
                            keys: [drain],
                            arguments: [valueKey(""), String(Self.tagBatchSize)]
                        )
                    }
                    guard let parts = reply.array, parts.count == 2, let values = parts[0].int, let members = parts[1].int else {
                        throw SharedStateError(.unexpectedReply, "invalidating a tag batch answered \(reply)")
                    }
                    if members > 0 {
                        removed += values
                        progress(removed)
                    }
                    if members < Self.tagBatchSize { break }
                }
            }
        }
        local.remove(tag: tag)
        try await publish("t", tag)
        return removed
    }

    private func redis<T>(_ what: String, _ call: () async throws -> T) async throws(SharedStateError) -> T {
        do {
            return try await call()
        } catch {
            throw SharedStateError(.storeUnavailable, "cache \(what): Redis unreachable", underlying: error)
        }
    }

    /// Escapes the glob characters of `SCAN MATCH`, so that a prefix matches literally.
    static func escapeGlob(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "*?[]\\".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
