import Foundation

/// A Redis Cluster on loopback for tests: primaries with their replicas, each a ``RedisServerProcess`` with
/// `cluster-enabled yes`, joined with `redis-cli --cluster create`, that a test can reshape while it runs: move a
/// slot (``beginMigration(slot:to:)``, ``completeMigration(_:)``), fail a primary over (``failOver(_:)``), or kill
/// a node (``RedisServerProcess/kill()``) and wait for its replica to take over (``waitForPromotion(of:timeout:)``).
///
/// ```swift
/// let cluster = try await RedisClusterProcess.start()       // 3 primaries + 3 replicas
/// defer { Task { await cluster.shutdown() } }
/// let owner = try await cluster.primary(servingSlot: cluster.slot(of: "{payments}:state"))
/// ```
public final class RedisClusterProcess: Sendable {
    /// Every node, primaries first as they were created (roles change with failovers: ask ``topology()``).
    public let nodes: [RedisServerProcess]

    private init(nodes: [RedisServerProcess]) {
        self.nodes = nodes
    }

    /// Starts `primaries × (1 + replicasPerPrimary)` nodes on free loopback ports, creates the cluster and waits
    /// until every node sees every slot served (`cluster_state:ok`).
    /// - Parameters:
    ///   - primaries: Primaries, at least 3 (Redis's own minimum for `--cluster create`).
    ///   - replicasPerPrimary: Replicas of each primary.
    ///   - nodeTimeout: `cluster-node-timeout`: how long a node may be unreachable before it is failed over.
    ///   - timeout: How long creating the cluster may take.
    /// - Throws: ``RedisTestSupportError`` when a node does not start or the cluster does not form in time (with the
    ///   tail of `redis-cli`'s output).
    public static func start(
        primaries: Int = 3,
        replicasPerPrimary: Int = 1,
        nodeTimeout: Duration = .milliseconds(1_000),
        timeout: Duration = .seconds(60)
    ) async throws -> RedisClusterProcess {
        guard primaries >= 3, replicasPerPrimary >= 0 else {
            throw RedisTestSupportError(.invalidOptions, message: "a cluster needs at least 3 primaries and no negative replica count")
        }
        var nodes: [RedisServerProcess] = []
        do {
            for _ in 0..<primaries * (1 + replicasPerPrimary) {
                var options = RedisServerOptions()
                options.extraArguments = [
                    "--cluster-enabled", "yes", "--cluster-node-timeout", String(Int(nodeTimeout / .milliseconds(1))),
                    // The bus port on a free port of its own: port + 10000 may be taken, or past 65535.
                    "--cluster-port", String(try LoopbackPort.pickFree()),
                ]
                nodes.append(try await RedisServerProcess.start(options))
            }
            let cluster = RedisClusterProcess(nodes: nodes)
            try await cluster.create(replicasPerPrimary: replicasPerPrimary, timeout: timeout)
            try await cluster.waitUntilHealthy(timeout: timeout)
            return cluster
        } catch {
            for node in nodes { await node.shutdown() }
            throw error
        }
    }

    /// The seed addresses a cluster client starts from: every node.
    public var seeds: [RedisServerAddress] { nodes.map(\.address) }

    /// `redis-cluster://127.0.0.1:P1,127.0.0.1:P2,…` over every node.
    public var url: String { "redis-cluster://" + seeds.map(\.description).joined(separator: ",") }

    /// The cluster as the first running node sees it (`CLUSTER NODES`).
    public func topology() async throws -> [RedisClusterNode] {
        for node in nodes where node.isRunning {
            guard let text = try? await query(node, ["CLUSTER", "NODES"]).string else { continue }
            return text.split(separator: "\n").compactMap(RedisClusterNode.init(line:))
        }
        throw RedisTestSupportError(.connectionFailed, message: "no node of the cluster answers")
    }

    /// The slot of `key` (`CLUSTER KEYSLOT`, hash tags included).
    public func slot(of key: String) async throws -> Int {
        for node in nodes where node.isRunning {
            if case .integer(let slot) = try await query(node, ["CLUSTER", "KEYSLOT", key]) { return slot }
        }
        throw RedisTestSupportError(.connectionFailed, message: "no node of the cluster answers")
    }

    /// The running node that serves `slot` as a primary.
    public func primary(servingSlot slot: Int) async throws -> RedisServerProcess {
        let owner = try await topology().first { $0.isPrimary && !$0.isFailing && $0.serves(slot) }
        guard let owner, let node = process(at: owner.address) else {
            throw RedisTestSupportError(.protocolError, message: "no primary serves slot \(slot)")
        }
        return node
    }

    /// The process listening at `address`, if it is one of the cluster's.
    public func process(at address: RedisServerAddress) -> RedisServerProcess? {
        nodes.first { $0.address == address }
    }

    /// Stops every node and removes their directories.
    public func shutdown() async {
        for node in nodes { await node.shutdown() }
    }

    /// Sends one command to `node`; an error reply is thrown.
    func query(_ node: RedisServerProcess, _ command: [String], timeout: Duration = .seconds(5)) async throws -> RESPValue {
        let reply = try await node.instance.exchange([command], timeout: timeout)[0]
        if case .error(let message) = reply {
            throw RedisTestSupportError(.protocolError, message: "\(command.prefix(2).joined(separator: " ")): \(message)")
        }
        return reply
    }

    /// Runs `redis-cli --cluster create` over every node.
    private func create(replicasPerPrimary: Int, timeout: Duration) async throws {
        let cli = try ExecutableLocator.locate("redis-cli")
        let output = nodes[0].directory + "/cluster-create.log"
        let arguments = ["--cluster", "create"] + seeds.map(\.description) + ["--cluster-replicas", String(replicasPerPrimary), "--cluster-yes"]
        let child = try ChildProcess.spawn(executable: cli, arguments: arguments, outputPath: output)
        guard await child.waitForExit(timeout: timeout) else {
            child.terminateSynchronously()
            throw RedisTestSupportError(.timedOut, message: "redis-cli --cluster create did not finish: \(Self.tail(of: output))")
        }
        guard let status = child.pollExit(), status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            throw RedisTestSupportError(.protocolError, message: "redis-cli --cluster create failed: \(Self.tail(of: output))")
        }
    }

    /// Waits until every running node reports `cluster_state:ok`, knows every node and agrees on who serves
    /// every slot.
    public func waitUntilHealthy(timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await isHealthy() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw RedisTestSupportError(.timedOut, message: "the cluster did not become healthy within \(timeout)")
    }

    private func isHealthy() async -> Bool {
        var views: Set<[String]> = []
        for node in nodes where node.isRunning {
            guard let info = try? await query(node, ["CLUSTER", "INFO"]).string, info.contains("cluster_state:ok"),
                let text = try? await query(node, ["CLUSTER", "NODES"]).string
            else { return false }
            let known = text.split(separator: "\n").compactMap(RedisClusterNode.init(line:))
            // Each node's view of the slot owners (by address), so that all views must agree.
            let owners = known.filter { $0.isPrimary && !$0.slots.isEmpty }.map { "\($0.address) \($0.slots)" }.sorted()
            views.insert(owners)
        }
        return views.count == 1
    }

    static func tail(of path: String) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return String(text.suffix(2_000))
    }
}
