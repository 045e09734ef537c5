import RedisClient

/// Reads pub/sub events until one matches, skipping the others; `nil` after `limit` events or at the end.
func next(
    _ iterator: inout AsyncStream<RedisPubSubEvent>.Iterator,
    limit: Int = 50,
    where matches: (RedisPubSubEvent) -> Bool
) async -> RedisPubSubEvent? {
    for _ in 0..<limit {
        guard let event = await iterator.next() else { return nil }
        if matches(event) { return event }
    }
    return nil
}
