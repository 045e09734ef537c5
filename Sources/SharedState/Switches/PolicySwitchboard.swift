import Logging
import Metrics
import RedisClient
import Resilience
import ServiceLifecycle
import Synchronization

/// The fleet-wide kill switches of every named pipeline of an instance: each pipeline's policies can be switched
/// off and on at run time on every instance at once.
///
/// ```swift
/// let board = try PolicySwitchboard(client: client)
/// let payments = try profile.pipeline(named: "payments", switches: try board.switches(forPipeline: "payments"))
/// // run `board` as a Service (ServiceGroup); then, from any instance, the admin API or `bulwark switch`:
/// try await board.change("payments", [.retry], on: false)   // every instance makes one attempt per call
/// ```
///
/// - Redis's hash is the truth. A pipeline is registered there when its switches are handed out, seeded with
///   the switches this instance has for it (the configured ones at first) unless the fleet already has some.
/// - A change is one script that writes the hash and publishes `name mask`; every instance applies the message
///   on receipt. After a pub/sub gap, at the start, and every ``resynchronizationInterval``, the switches are
///   read again (convergence).
/// - While Redis is unreachable the switches keep their last state, ``status`` says ``PolicySwitchboardStatus/local``,
///   and a change applies to this instance alone; when Redis answers again, its state wins.
/// - Every applied change is logged (pipeline names are validated, so nothing outside needs escaping) and
///   counted in `bulwark_policy_switch_changes_total{policy, state}`.
public final class PolicySwitchboard: Service, Sendable {
    /// The Redis side.
    public let store: PolicySwitchStore
    /// How often the switches are read again even without a pub/sub gap.
    public let resynchronizationInterval: Duration
    /// The most pipelines this instance may have switches for.
    public let maximumPipelines: Int

    private let initial: [String: UInt8]
    private let entries = Mutex<[PipelineName: PolicySwitches]>([:])
    private let shared = Atomic<Bool>(false)
    /// Published changes applied so far: a read that raced with one is made again.
    private let publishedApplied = Atomic<Int>(0)
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>
    private let logger: Logger

    /// Creates a switchboard; call ``run()`` (or add it to a `ServiceGroup`) to keep it in step with the fleet.
    /// - Parameters:
    ///   - client: The Redis client.
    ///   - keyPrefix: The prefix of its key and channel.
    ///   - initiallyOff: The policies switched off at first, by pipeline name (from configuration); Redis's state
    ///     wins once read.
    ///   - maximumPipelines: The most pipelines this instance may have switches for (1,000 by default).
    ///   - resynchronizationInterval: How often the switches are read again; 10 s by default.
    ///   - logger: Where changes are logged.
    /// - Throws: ``SharedStateError`` for a malformed pipeline name in `initiallyOff` or a bound out of range.
    public init(
        client: RedisClient,
        keyPrefix: String = "bulwark",
        initiallyOff: [String: [PolicyKind]] = [:],
        maximumPipelines: Int = 1_000,
        resynchronizationInterval: Duration = .seconds(10),
        logger: Logger = Logger(label: "bulwark.switches")
    ) throws(SharedStateError) {
        guard (1...PolicySwitchStore.maximumPipelines).contains(maximumPipelines) else {
            throw SharedStateError(.invalidConfiguration, "maximumPipelines must be 1 to \(PolicySwitchStore.maximumPipelines)")
        }
        guard resynchronizationInterval >= .milliseconds(100) else {
            throw SharedStateError(.invalidConfiguration, "resynchronizationInterval must be at least 100 ms")
        }
        var masks: [String: UInt8] = [:]
        for (name, kinds) in initiallyOff { masks[try PipelineName(name).value] = PolicyKind.mask(of: kinds) }
        initial = masks
        store = PolicySwitchStore(client: client, prefix: keyPrefix)
        self.maximumPipelines = maximumPipelines
        self.resynchronizationInterval = resynchronizationInterval
        self.logger = logger
        (wakes, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// The switches of the pipeline named `name`, made on first use with the configured ones and registered in
    /// Redis; a second call with the same name returns the same switches.
    /// - Parameter name: 1 to 64 characters from `A-Z a-z 0-9 . _ -`.
    /// - Returns: The switches to build the pipeline with.
    /// - Throws: ``SharedStateError`` for a malformed name, or ``SharedStateError/Code/limitReached`` past
    ///   ``maximumPipelines``.
    public func switches(forPipeline name: String) throws(SharedStateError) -> PolicySwitches {
        let pipeline = try PipelineName(name)
        let made = entries.withLock { entries -> (PolicySwitches, Bool)? in
            if let existing = entries[pipeline] { return (existing, false) }
            guard entries.count < maximumPipelines else { return nil }
            let switches = PolicySwitches(off: PolicyKind.kinds(in: initial[name] ?? 0))
            entries[pipeline] = switches
            return (switches, true)
        }
        guard let (switches, isNew) = made else {
            throw SharedStateError(
                .limitReached,
                "the switchboard already holds \(maximumPipelines) pipelines; pipeline names should not grow without bound"
            )
        }
        if isNew { wake.yield() }
        return switches
    }

    /// Whether the switches follow Redis right now.
    public var status: PolicySwitchboardStatus { shared.load(ordering: .relaxed) ? .shared : .local }

    /// This instance's pipelines and their switches, sorted by name.
    public var pipelines: [PolicySwitchState] {
        entries.withLock { $0.map { PolicySwitchState(pipeline: $0.key.value, mask: $0.value.offMask) } }.sorted { $0.pipeline < $1.pipeline }
    }

    /// Switches `kinds` of a pipeline on or off on every instance: in Redis, published, and applied here at once.
    ///
    /// While Redis is unreachable, a pipeline of this instance is changed here alone (``PolicySwitchChange/Scope/local``).
    /// - Parameters:
    ///   - pipeline: The pipeline's name.
    ///   - kinds: The policies.
    ///   - on: `true` to switch them on, `false` off.
    /// - Returns: What changed, or `nil` when neither the fleet nor this instance has a pipeline of that name.
    /// - Throws: ``SharedStateError`` for a malformed name, or when Redis cannot be reached and this instance has
    ///   no such pipeline.
    public func change(_ pipeline: String, _ kinds: [PolicyKind], on: Bool) async throws(SharedStateError) -> PolicySwitchChange? {
        let name = try PipelineName(pipeline)
        do {
            guard let state = try await store.change(name, kinds, on: on) else { return nil }
            apply(name, mask: state.offMask, source: "operator")
            return PolicySwitchChange(state: state, scope: .fleet)
        } catch  where error.code == .storeUnavailable {
            guard let switches = entries.withLock({ $0[name] }) else { throw error }
            shared.store(false, ordering: .relaxed)
            let mask = on ? switches.offMask & ~PolicyKind.mask(of: kinds) : switches.offMask | PolicyKind.mask(of: kinds)
            apply(name, mask: mask, source: "operator, this instance only: Redis is unreachable")
            return PolicySwitchChange(state: PolicySwitchState(pipeline: name.value, mask: mask), scope: .local)
        }
    }

    /// Listens for changes and reads the switches again after every gap and every ``resynchronizationInterval``,
    /// until cancelled or shut down gracefully.
    public func run() async throws {
        defer { shared.store(false, ordering: .relaxed) }
        await cancelWhenGracefulShutdown {
            // Both end when the task is cancelled: their streams finish and their sleeps throw.
            await withDiscardingTaskGroup { group in
                group.addTask { await self.listen() }
                group.addTask { await self.resynchronizeRegularly() }
            }
        }
    }

    /// Applies published changes; reads every switch again when the subscription (re)starts.
    private func listen() async {
        guard let subscription = try? store.client.subscriptions.subscribe(channels: [store.changesChannel]) else { return }
        defer { subscription.cancel() }
        do {
            try await subscription.activate()
            await resynchronize()
        } catch {
            // Remembered by the hub: it subscribes when Redis is reachable and says `.resubscribed`.
            logger.debug("kill-switch channel not subscribed yet", metadata: ["redis.error": "\(error)"])
        }
        for await event in subscription.events {
            switch event {
            case .message(_, let payload):
                applyPublished(String(decoding: payload, as: UTF8.self))
            case .resubscribed:
                await resynchronize()
            case .disconnected:
                shared.store(false, ordering: .relaxed)
            case .patternMessage:
                break
            }
            if Task.isCancelled { return }
        }
    }

    /// Reads the switches at every interval, and at once when a pipeline is new.
    private func resynchronizeRegularly() async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: self.resynchronizationInterval)
                    self.wake.yield()
                }
            }
            for await _ in wakes { await resynchronize() }
            group.cancelAll()
        }
    }

    /// Registers every pipeline of this instance (seeded with its switches here) and adopts Redis's switches;
    /// a read that a published change overtook is made again, so that the older state never wins.
    func resynchronize() async {
        let local = entries.withLock { $0.map { ($0.key, $0.value.offMask) } }
        do {
            var masks: [PipelineName: UInt8] = [:]
            for _ in 0..<3 {
                let seen = publishedApplied.load(ordering: .acquiring)
                masks = try await store.register(local)
                guard publishedApplied.load(ordering: .acquiring) != seen else { break }
            }
            for (name, mask) in masks { apply(name, mask: mask, source: "fleet state") }
            if masks.count < local.count {
                logger.warning("the fleet's kill-switch hash is full: some pipelines of this instance are switched locally only")
            }
            shared.store(true, ordering: .relaxed)
        } catch {
            if shared.exchange(false, ordering: .relaxed) {
                logger.warning("kill switches are local: Redis is unreachable", metadata: ["redis.error": "\(error)"])
            }
        }
    }

    /// Applies `name mask`; messages of pipelines this instance does not have, or malformed ones, are ignored.
    func applyPublished(_ message: String) {
        let parts = message.split(separator: " ")
        guard parts.count == 2, let name = try? PipelineName(String(parts[0])), let mask = UInt8(parts[1]) else { return }
        apply(name, mask: mask, source: "fleet change")
        publishedApplied.add(1, ordering: .releasing)
    }

    /// Sets a pipeline's switches; logs and counts each switch that changed.
    private func apply(_ name: PipelineName, mask: UInt8, source: String) {
        guard let switches = entries.withLock({ $0[name] }) else { return }
        let before = switches.replace(offMask: mask)
        let changed = before ^ (mask & PolicyKind.allMask)
        guard changed != 0 else { return }
        for kind in PolicyKind.kinds(in: changed) {
            let state = mask & kind.bit == 0 ? "on" : "off"
            Counter(label: "bulwark_policy_switch_changes_total", dimensions: [("policy", kind.rawValue), ("state", state)]).increment()
            logger.notice(
                "kill switch changed",
                metadata: ["pipeline.name": "\(name)", "policy": "\(kind)", "switch.state": "\(state)", "switch.source": "\(source)"]
            )
        }
    }
}
