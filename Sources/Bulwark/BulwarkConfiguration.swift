/// How a ``Bulwark`` reaches Redis and which profile each pipeline gets.
///
/// Every field has a default; ``Bulwark/init(configuration:logger:)`` checks them all at start-up and refuses
/// the first bad one, naming it. Reading the configuration from JSON: ``init(json:)``.
///
/// ```swift
/// var configuration = BulwarkConfiguration(redisURL: "redis://redis:6379")
/// configuration.pipelines["payments"] = .externalAPI
/// let bulwark = try Bulwark(configuration: configuration)
/// ```
public struct BulwarkConfiguration: Sendable {
    /// The Redis every instance shares: `redis://[[user]:password@]host[:port][/db]`, `unix:///path` or
    /// `redis-sentinel://host1,host2/master`; `redis://127.0.0.1:6379` by default.
    public var redisURL: String
    /// The prefix of every Redis key and channel; `bulwark` by default. Instances share state only with the same prefix.
    public var keyPrefix: String
    /// This instance's id in the fleet; a random one when empty (the default).
    public var instanceID: String
    /// The longest a Redis command may take before it counts as failed and the stores fall back; 250 ms by default.
    public var redisCommandTimeout: Duration
    /// The profile of each pipeline by name; a name not listed gets the profile its code asks for, else `ResilienceProfile.standard`.
    public var pipelines: [String: ResilienceProfile]

    /// Creates a configuration; every parameter has the default described above.
    /// - Parameters:
    ///   - redisURL: The Redis URL.
    ///   - keyPrefix: The key prefix.
    ///   - instanceID: This instance's id.
    ///   - redisCommandTimeout: The Redis command timeout.
    ///   - pipelines: The profile of each pipeline.
    public init(
        redisURL: String = "redis://127.0.0.1:6379",
        keyPrefix: String = "bulwark",
        instanceID: String = "",
        redisCommandTimeout: Duration = .milliseconds(250),
        pipelines: [String: ResilienceProfile] = [:]
    ) {
        self.redisURL = redisURL
        self.keyPrefix = keyPrefix
        self.instanceID = instanceID
        self.redisCommandTimeout = redisCommandTimeout
        self.pipelines = pipelines
    }
}
