/// Whether an instance's kill switches follow Redis right now.
public enum PolicySwitchboardStatus: String, Sendable, Hashable, Codable {
    /// Read from Redis, kept in step by its pub/sub channel.
    case shared
    /// Redis is unreachable, or the switchboard does not run: the switches are this instance's own, and changes
    /// reach only it until Redis answers again.
    case local
}
