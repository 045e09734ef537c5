/// A host and TCP port of a Redis server or sentinel.
public struct RedisServerAddress: Hashable, Sendable, CustomStringConvertible {
    /// The host name or IP address, such as `127.0.0.1`.
    public var host: String
    /// The TCP port.
    public var port: Int

    /// Creates an address.
    ///
    /// - Parameters:
    ///   - host: The host name or IP address; defaults to `127.0.0.1`.
    ///   - port: The TCP port; defaults to `6379`.
    public init(host: String = "127.0.0.1", port: Int = 6379) {
        self.host = host
        self.port = port
    }

    /// `host:port`.
    public var description: String { "\(host):\(port)" }
}
