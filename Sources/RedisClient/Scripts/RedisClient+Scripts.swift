extension RedisClient {
    /// Runs a script with `EVALSHA`, falling back to `EVAL` when Redis does not have it cached.
    ///
    /// - Parameters:
    ///   - script: The script.
    ///   - keys: The keys the script touches (`KEYS`); on Redis Cluster they must share a hash slot.
    ///   - arguments: The other arguments (`ARGV`).
    /// - Returns: The script's reply.
    /// - Throws: ``RedisClientError`` with the script's own error reply, or a connection error.
    @discardableResult
    public func evaluate<Key: RedisArgumentConvertible, Argument: RedisArgumentConvertible>(
        _ script: RedisScript,
        keys: [Key],
        arguments: [Argument]
    ) async throws(RedisClientError) -> RedisValue {
        var tail: [any RedisArgumentConvertible] = [keys.count]
        tail.append(contentsOf: keys as [any RedisArgumentConvertible])
        tail.append(contentsOf: arguments as [any RedisArgumentConvertible])
        do {
            return try await send(RedisCommand("EVALSHA", argumentList: [script.sha1] + tail))
        } catch  where error.serverError?.code == "NOSCRIPT" {
            return try await send(RedisCommand("EVAL", argumentList: [script.source] + tail))
        }
    }

    /// Runs a script that takes keys only.
    @discardableResult
    public func evaluate<Key: RedisArgumentConvertible>(_ script: RedisScript, keys: [Key]) async throws(RedisClientError) -> RedisValue {
        try await evaluate(script, keys: keys, arguments: [String]())
    }
}
