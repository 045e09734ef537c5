/// Where a Redis server is found.
public enum RedisEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// A TCP address: a host name, an IPv4 address or an IPv6 address without brackets.
    case tcp(host: String, port: Int)
    /// A Unix domain socket.
    case unix(path: String)
    /// The current master of `masterName`, as told by the first sentinel that answers.
    case sentinel(sentinels: [RedisHostAndPort], masterName: String)

    /// The address in URL form, without credentials.
    public var description: String {
        switch self {
        case .tcp(let host, let port): "\(RedisHostAndPort(host: host, port: port))"
        case .unix(let path): "unix://\(path)"
        case .sentinel(let sentinels, let masterName):
            "sentinel \(sentinels.map(\.description).joined(separator: ",")) master \(masterName)"
        }
    }
}

/// A host and port pair.
public struct RedisHostAndPort: Sendable, Hashable, CustomStringConvertible {
    /// The host name or address, IPv6 without brackets.
    public var host: String
    /// The TCP port.
    public var port: Int

    /// Creates a host and port pair.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`, with brackets around an IPv6 address.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
