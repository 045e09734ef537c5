/// One node of a Redis Cluster as `CLUSTER NODES` describes it.
public struct RedisClusterNode: Sendable, Hashable {
    /// The node's id (40 hex characters).
    public var id: String
    /// Where it listens for clients.
    public var address: RedisServerAddress
    /// Whether it is a primary (else a replica).
    public var isPrimary: Bool
    /// The id of the primary it replicates; `nil` for a primary.
    public var primaryID: String?
    /// The slots it serves (primaries only), as ranges.
    public var slots: [ClosedRange<Int>]
    /// Whether the cluster marks it failed (`fail`) or possibly failed (`fail?`).
    public var isFailing: Bool

    /// Parses one line of `CLUSTER NODES`; `nil` for a line it cannot read.
    init?(line: Substring) {
        let fields = line.split(separator: " ")
        guard fields.count >= 8 else { return nil }
        // `127.0.0.1:30001@40001` (and, in Redis 7, an optional `,hostname`).
        let endpoint = fields[1].split(separator: "@").first.map { $0.split(separator: ",")[0] } ?? ""
        guard let colon = endpoint.lastIndex(of: ":"), let port = Int(endpoint[endpoint.index(after: colon)...]) else { return nil }
        let flags = fields[2].split(separator: ",")
        id = String(fields[0])
        address = RedisServerAddress(host: String(endpoint[..<colon]), port: port)
        isPrimary = flags.contains("master")
        primaryID = fields[3] == "-" ? nil : String(fields[3])
        isFailing = flags.contains("fail") || flags.contains("fail?")
        slots = fields.dropFirst(8).compactMap { field -> ClosedRange<Int>? in
            // Importing and migrating markers (`[slot-<-id]`) are not served slots.
            guard !field.hasPrefix("[") else { return nil }
            let bounds = field.split(separator: "-").compactMap { Int($0) }
            switch bounds.count {
            case 1: return bounds[0]...bounds[0]
            case 2 where bounds[0] <= bounds[1]: return bounds[0]...bounds[1]
            default: return nil
            }
        }
    }

    /// Whether it serves `slot`.
    public func serves(_ slot: Int) -> Bool { slots.contains { $0.contains(slot) } }
}
