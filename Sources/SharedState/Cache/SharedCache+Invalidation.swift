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
    /// - Parameter progress: Called after each batch with the number removed so far.
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

    /// Removes every value filed under `tag`, from Redis and from every instance's in-process tier.
    /// - Returns: How many values were removed.
    /// - Throws: ``SharedStateError`` for a malformed tag (nothing is removed), when Redis is unreachable, or when
    ///   the removal could not be announced to the other instances.
    @discardableResult
    public func invalidate(tag: String) async throws(SharedStateError) -> Int {
        let tag = try CacheKey(tag, what: "tag").value
        let removed = try await redis("invalidate tag") {
            try await client.evaluate(SharedCacheScripts.invalidateTag, keys: [tagKey(tag)], arguments: [valueKey("")])
        }
        local.remove(tag: tag)
        try await publish("t", tag)
        return removed.int ?? 0
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
