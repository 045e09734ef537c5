/// What a ``RedisSubscriber`` delivers.
///
/// Redis pub/sub is at most once: while the connection is down, messages are lost. ``disconnected(reason:)``
/// says a gap began and ``resubscribed`` that it ended; a consumer that keeps state derived from messages
/// should stop trusting it at the first and re-read it from Redis at the second.
public enum RedisPubSubEvent: Sendable, Equatable {
    /// A message on a subscribed channel.
    case message(channel: String, payload: [UInt8])
    /// A message on a channel matched by a subscribed pattern.
    case patternMessage(pattern: String, channel: String, payload: [UInt8])
    /// The connection broke; messages published from now on may be missed.
    case disconnected(reason: String)
    /// The connection is back and every subscription is active again; messages may have been missed
    /// since the matching ``disconnected(reason:)``.
    case resubscribed
}
