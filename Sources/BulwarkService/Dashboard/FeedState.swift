/// The connected clients of a ``BreakerFeed`` and what they were last sent; decides what each refresh
/// sends to whom. No I/O: the feed holds it behind a lock.
struct FeedState: Sendable {
    typealias Client = AsyncStream<ServerSentEvent>.Continuation

    /// Connected clients by id.
    private(set) var clients: [UInt64: Client] = [:]
    /// Clients that have not had their snapshot yet.
    private var waiting: Set<UInt64> = []
    private var nextID: UInt64 = 0
    /// The breakers as last sent, by name; `nil` until the first refresh after clients connected.
    private var shown: [String: BreakerView]?
    /// The fleet summary as last sent.
    private(set) var summary: FleetSummary?
    private var lastList: BreakerList?

    /// Adds a client; it gets the last view at once, if there is one, so that later changes apply to it.
    mutating func add(_ client: Client) -> UInt64 {
        nextID += 1
        clients[nextID] = client
        client.yield(.retry(milliseconds: 2_000))
        if let lastList {
            client.yield(ServerSentEvent("snapshot", lastList))
        } else {
            waiting.insert(nextID)
            // Redis could not be read yet: say at least whether this instance runs on the fallback.
            if let summary { client.yield(ServerSentEvent("status", summary)) }
        }
        return nextID
    }

    /// Removes a client and returns it, to be finished outside the lock.
    mutating func remove(_ id: UInt64) -> Client? {
        waiting.remove(id)
        let client = clients.removeValue(forKey: id)
        if clients.isEmpty {
            // Nobody watches: the next client starts from a fresh read, not from a stale view.
            shown = nil
            lastList = nil
            summary = nil
        }
        return client
    }

    /// Removes every client and returns them.
    mutating func removeAll() -> [Client] {
        defer { self = FeedState() }
        return Array(clients.values)
    }

    /// Sends `event` to every client and returns those whose buffer is full or whose stream ended, removed.
    mutating func broadcast(_ event: ServerSentEvent, only ids: Set<UInt64>? = nil) -> [Client] {
        var full: [UInt64] = []
        for (id, client) in clients where ids?.contains(id) ?? true {
            switch client.yield(event) {
            case .enqueued: break
            case .dropped, .terminated: full.append(id)
            @unknown default: full.append(id)
            }
        }
        return full.compactMap { remove($0) }
    }

    /// Sends what changed since the last refresh: a snapshot to new clients, and to the others `breaker`,
    /// `removed` and `status` events. `list` is `nil` when Redis could not be read (only the status goes out).
    mutating func publish(_ list: BreakerList?, summary newSummary: FleetSummary) -> [Client] {
        var dropped: [Client] = []
        let established = Set(clients.keys).subtracting(waiting)
        if newSummary != summary {
            summary = newSummary
            // With Redis unreadable, clients still waiting for their snapshot get at least the status.
            dropped += broadcast(ServerSentEvent("status", newSummary), only: list == nil ? nil : established)
        }
        guard let list else { return dropped }
        let views = Dictionary(list.breakers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        if let shown {
            for view in list.breakers where shown[view.name] != view {
                dropped += broadcast(ServerSentEvent("breaker", view), only: established)
            }
            for name in shown.keys.sorted() where views[name] == nil {
                dropped += broadcast(ServerSentEvent("removed", ["name": name]), only: established)
            }
        }
        shown = views
        lastList = list
        dropped += broadcast(ServerSentEvent("snapshot", list), only: waiting)
        waiting = []
        return dropped
    }
}
