import Resilience

/// One pipeline's kill switches: which of its policies are switched off.
public struct PolicySwitchState: Sendable, Hashable, Encodable {
    /// The pipeline's name.
    public let pipeline: String
    /// The switched-off policies' names (`PolicyKind` raw values), in their declared order.
    public let off: [String]
    /// The switched-off policies' bits.
    public let offMask: UInt8

    /// A state from a mask of `PolicyKind` bits.
    /// - Parameters:
    ///   - pipeline: The pipeline's name.
    ///   - mask: The switched-off policies' bits.
    public init(pipeline: String, mask: UInt8) {
        self.pipeline = pipeline
        offMask = mask & PolicyKind.allMask
        off = PolicyKind.kinds(in: mask).map(\.rawValue)
    }
}

extension PolicySwitchState {
    private enum CodingKeys: String, CodingKey {
        case pipeline, off
    }
}
