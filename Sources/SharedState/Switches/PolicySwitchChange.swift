/// What one change of a pipeline's kill switches did.
public struct PolicySwitchChange: Sendable, Hashable, Encodable {
    /// How far a change reached.
    public enum Scope: String, Sendable, Hashable, Codable {
        /// Written to Redis and published: every instance applies it.
        case fleet
        /// Redis was unreachable: only this instance applied it, until Redis answers again and its state, the
        /// truth, is read back.
        case local
    }

    /// The pipeline's switches afterwards.
    public let state: PolicySwitchState
    /// How far the change reached.
    public let scope: Scope
}
