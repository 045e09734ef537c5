/// The one place where the kill switches' Redis key and channel are named.
struct PolicySwitchKeys: Sendable {
    /// Hash: pipeline name → the mask of its switched-off policies (`PolicyKind.bit`s, in decimal). A pipeline
    /// is known to the fleet when it has a field; at most ``PolicySwitchStore/maximumPipelines`` fields.
    let state: String
    /// Channel: every change, published as `name mask` by the script that makes it.
    let changes: String

    init(prefix: String) {
        state = prefix + ":switches"
        changes = prefix + ":switch-changes"
    }
}
