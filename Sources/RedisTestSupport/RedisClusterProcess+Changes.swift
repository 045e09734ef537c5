/// A slot on its way from one primary to another (``RedisClusterProcess/beginMigration(slot:to:)``).
public struct RedisSlotMigration: Sendable {
    /// The slot.
    public let slot: Int
    /// The primary that served it.
    public let source: RedisClusterNode
    /// The primary that will serve it.
    public let target: RedisClusterNode
}

extension RedisClusterProcess {
    /// Marks `slot` migrating from its primary to `target` (`CLUSTER SETSLOT … IMPORTING` / `MIGRATING`) and moves
    /// half of its keys: from now until ``completeMigration(_:)``, keys of the slot are on either side, and the
    /// source answers `ASK` for those that moved.
    public func beginMigration(slot: Int, to target: RedisServerProcess) async throws -> RedisSlotMigration {
        let nodes = try await topology()
        guard let source = nodes.first(where: { $0.isPrimary && $0.serves(slot) }),
            let destination = nodes.first(where: { $0.address == target.address && $0.isPrimary }),
            source.id != destination.id, let sourceProcess = process(at: source.address)
        else {
            throw RedisTestSupportError(.invalidOptions, message: "slot \(slot) cannot move to \(target.address): not another primary")
        }
        _ = try await query(target, ["CLUSTER", "SETSLOT", String(slot), "IMPORTING", source.id])
        _ = try await query(sourceProcess, ["CLUSTER", "SETSLOT", String(slot), "MIGRATING", destination.id])
        let migration = RedisSlotMigration(slot: slot, source: source, target: destination)
        let keys = try await keys(in: slot, on: sourceProcess, count: 1_000)
        try await move(keys.prefix(keys.count / 2), of: migration, from: sourceProcess)
        return migration
    }

    /// Moves the slot's remaining keys and gives the slot to the target on every primary (`CLUSTER SETSLOT … NODE`).
    public func completeMigration(_ migration: RedisSlotMigration) async throws {
        guard let source = process(at: migration.source.address), let target = process(at: migration.target.address) else {
            throw RedisTestSupportError(.invalidOptions, message: "the migration's nodes are not this cluster's")
        }
        while true {
            let keys = try await keys(in: migration.slot, on: source, count: 100)
            if keys.isEmpty { break }
            try await move(keys[...], of: migration, from: source)
        }
        let assign = ["CLUSTER", "SETSLOT", String(migration.slot), "NODE", migration.target.id]
        _ = try await query(target, assign)
        _ = try await query(source, assign)
        for node in try await topology() where node.isPrimary && node.id != migration.source.id && node.id != migration.target.id {
            if let process = process(at: node.address), process.isRunning { _ = try await query(process, assign) }
        }
        try await waitUntilHealthy()
    }

    /// Fails `primary` over to one of its replicas with `CLUSTER FAILOVER` (a coordinated switch: no write is
    /// lost) and waits until the replica serves its slots; returns the new primary.
    public func failOver(_ primary: RedisServerProcess) async throws -> RedisServerProcess {
        let nodes = try await topology()
        guard let old = nodes.first(where: { $0.address == primary.address && $0.isPrimary }),
            let replica = nodes.first(where: { $0.primaryID == old.id }), let replicaProcess = process(at: replica.address)
        else {
            throw RedisTestSupportError(.invalidOptions, message: "\(primary.address) is not a primary with a replica")
        }
        _ = try await query(replicaProcess, ["CLUSTER", "FAILOVER"])
        return try await waitForPromotion(of: old)
    }

    /// Waits until a replica of `old` (a primary as ``topology()`` described it) serves its slots, as after a
    /// failover or after `old` was killed; returns the new primary.
    public func waitForPromotion(of old: RedisClusterNode, timeout: Duration = .seconds(30)) async throws -> RedisServerProcess {
        let deadline = ContinuousClock.now + timeout
        let slot = old.slots.first?.lowerBound ?? 0
        while ContinuousClock.now < deadline {
            if let nodes = try? await topology(),
                let promoted = nodes.first(where: { $0.isPrimary && !$0.isFailing && $0.id != old.id && $0.serves(slot) }),
                let process = process(at: promoted.address)
            {
                try await waitUntilHealthy(timeout: deadline - ContinuousClock.now)
                return process
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw RedisTestSupportError(.timedOut, message: "no replica of \(old.address) took over its slots within \(timeout)")
    }

    private func keys(in slot: Int, on node: RedisServerProcess, count: Int) async throws -> [String] {
        guard case .array(let keys) = try await query(node, ["CLUSTER", "GETKEYSINSLOT", String(slot), String(count)]) else { return [] }
        return (keys ?? []).compactMap(\.string)
    }

    private func move(_ keys: ArraySlice<String>, of migration: RedisSlotMigration, from source: RedisServerProcess) async throws {
        guard !keys.isEmpty else { return }
        let target = migration.target.address
        _ = try await query(source, ["MIGRATE", target.host, String(target.port), "", "0", "5000", "KEYS"] + keys)
    }
}
