import RedisClient

extension DeadLetterStore {
    /// Counts the entries that entered the queue more than `age` ago, by Redis's clock: what
    /// ``purge(_:olderThan:)`` would remove now. Nothing is changed.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis is unreachable;
    ///   ``SharedStateError/Code/invalidConfiguration`` for a negative age.
    public func count(_ queue: DeadLetterQueueName, olderThan age: Duration) async throws(SharedStateError) -> Int {
        guard age >= .zero else { throw SharedStateError(.invalidConfiguration, "the age must not be negative") }
        let milliseconds = age.components.seconds * 1000 + age.components.attoseconds / 1_000_000_000_000_000
        let reply: RedisValue
        do {
            reply = try await client.evaluate(Self.countOlderScript, keys: [key(queue)], arguments: [String(milliseconds)])
        } catch {
            throw unavailable(queue, error)
        }
        guard let count = reply.int else { throw SharedStateError(.unexpectedReply, "the count script answered \(reply)") }
        return count
    }

    /// Counts the entries whose ids are below `now - ARGV[1]` ms, the bound `XTRIM MINID` of the purge script uses.
    /// `KEYS[1]` the stream.
    private static let countOlderScript = RedisScript(
        """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local minimum = now - tonumber(ARGV[1])
        if minimum <= 0 then return 0 end
        return #redis.call('XRANGE', KEYS[1], '-', '(' .. string.format('%.0f', minimum) .. '-0')
        """
    )
}
