import RedisClient
import Resilience

/// The Redis side of the kill switches: one hash of every pipeline's switched-off policies, changed by one
/// script that also publishes the change, so every instance applies it within milliseconds.
///
/// ```swift
/// let store = PolicySwitchStore(client: client)
/// try await store.change(try PipelineName("payments"), [.retry], on: false)   // every instance obeys
/// ```
public struct PolicySwitchStore: Sendable {
    /// The most pipelines the hash holds; registrations past it are refused, so that pipeline names that grow
    /// without bound cannot grow Redis.
    public static let maximumPipelines = 10_000

    /// The client used.
    public let client: RedisClient
    let keys: PolicySwitchKeys

    /// Creates a store over a client.
    /// - Parameters:
    ///   - client: The Redis client.
    ///   - prefix: The key prefix, `bulwark` by default.
    public init(client: RedisClient, prefix: String = "bulwark") {
        self.client = client
        keys = PolicySwitchKeys(prefix: prefix)
    }

    /// The channel every change is published on, as `name mask`.
    public var changesChannel: String { keys.changes }

    /// Makes pipelines known to the fleet, each seeded with `mask` unless Redis already has its switches.
    /// - Parameter pipelines: Pipeline names and the masks to seed them with.
    /// - Returns: Each pipeline's mask in Redis; a pipeline is missing when the hash is full.
    /// - Throws: ``SharedStateError`` when Redis cannot be reached or answers in another shape.
    public func register(_ pipelines: [(PipelineName, UInt8)]) async throws(SharedStateError) -> [PipelineName: UInt8] {
        guard !pipelines.isEmpty else { return [:] }
        var arguments = [String(Self.maximumPipelines)]
        for (name, mask) in pipelines { arguments += [name.value, String(mask)] }
        let reply: RedisValue
        do {
            reply = try await client.evaluate(PolicySwitchScripts.register, keys: [keys.state], arguments: arguments)
        } catch {
            throw SharedStateError(.storeUnavailable, "the kill switches could not be reached in Redis: \(error.code)", underlying: error)
        }
        guard let masks = reply.array?.compactMap(\.int), masks.count == pipelines.count else {
            throw SharedStateError(.unexpectedReply, "unexpected reply to the kill-switch registration")
        }
        var answer: [PipelineName: UInt8] = [:]
        for ((name, _), mask) in zip(pipelines, masks) where mask >= 0 {
            answer[name] = UInt8(truncatingIfNeeded: mask) & PolicyKind.allMask
        }
        return answer
    }

    /// Switches `kinds` of a pipeline on or off on every instance.
    /// - Parameters:
    ///   - pipeline: The pipeline.
    ///   - kinds: The policies.
    ///   - on: `true` to switch them on, `false` off.
    /// - Returns: The pipeline's switches afterwards, or `nil` when no instance registered it (nothing changed).
    /// - Throws: ``SharedStateError`` when Redis cannot be reached; nothing changed then.
    public func change(_ pipeline: PipelineName, _ kinds: [PolicyKind], on: Bool) async throws(SharedStateError) -> PolicySwitchState? {
        let reply: RedisValue
        do {
            reply = try await client.evaluate(
                PolicySwitchScripts.change,
                keys: [keys.state],
                arguments: [pipeline.value, String(PolicyKind.mask(of: kinds)), on ? "1" : "0", keys.changes]
            )
        } catch {
            throw SharedStateError(.storeUnavailable, "the kill switches could not be reached in Redis: \(error.code)", underlying: error)
        }
        guard let mask = reply.int else { throw SharedStateError(.unexpectedReply, "unexpected reply to a kill-switch change") }
        return mask < 0 ? nil : PolicySwitchState(pipeline: pipeline.value, mask: UInt8(truncatingIfNeeded: mask))
    }

    /// Every pipeline the fleet registered, with its switches, sorted by name.
    /// - Throws: ``SharedStateError`` when Redis cannot be reached.
    public func all() async throws(SharedStateError) -> [PolicySwitchState] {
        let reply: RedisValue
        do {
            reply = try await client.send("HGETALL", keys.state)
        } catch {
            throw SharedStateError(.storeUnavailable, "the kill switches could not be read from Redis: \(error.code)", underlying: error)
        }
        let parts = reply.array ?? []
        var states: [PolicySwitchState] = []
        for index in stride(from: 0, to: parts.count - 1, by: 2) {
            guard let name = parts[index].string, let mask = parts[index + 1].int else { continue }
            states.append(PolicySwitchState(pipeline: name, mask: UInt8(truncatingIfNeeded: mask)))
        }
        return states.sorted { $0.pipeline < $1.pipeline }
    }
}
