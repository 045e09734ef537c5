import Foundation
import RedisClient

/// What Redis and this process hold at one moment of W9, in all and per store.
struct GrowthSnapshot {
    /// The stores whose keys W9 tells apart, by the keys' shapes under the default prefix `bulwark`.
    enum Store: String, CaseIterable {
        case breakers, instances, cache, sessions, other

        init(key: String) {
            switch true {
            case key.hasPrefix("bulwark:{"), key == "bulwark:breakers": self = .breakers
            case key == "bulwark:instances": self = .instances
            case key.hasPrefix("bulwark:cache:"): self = .cache
            case key.hasPrefix("bulwark:session"): self = .sessions
            default: self = .other
            }
        }
    }

    /// One store's keys and the bytes Redis says they take (`MEMORY USAGE … SAMPLES 0`).
    struct Footprint {
        var keys = 0
        var bytes = 0
    }

    var keys: Int
    var usedMemory: Int
    var residentMemory: Int
    var stores: [Store: Footprint]

    static func take(client: RedisClient) async throws -> GrowthSnapshot {
        let names = try await allKeys(client)
        let sizes = try await withThrowingTaskGroup(of: [(String, Int)].self) { group in
            let lanes = 16
            for lane in 0..<lanes {
                group.addTask {
                    var sizes: [(String, Int)] = []
                    for index in stride(from: lane, to: names.count, by: lanes) {
                        let bytes = try await client.send("MEMORY", "USAGE", names[index], "SAMPLES", 0).int ?? 0
                        sizes.append((names[index], bytes))
                    }
                    return sizes
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        var stores: [Store: Footprint] = [:]
        for (name, bytes) in sizes {
            stores[Store(key: name), default: Footprint()].keys += 1
            stores[Store(key: name), default: Footprint()].bytes += bytes
        }
        let memory = RedisInfo(try await client.send("INFO", "memory").string ?? "")
        return GrowthSnapshot(
            keys: try await client.send("DBSIZE").int ?? 0,
            usedMemory: Int(memory.double("used_memory")),
            residentMemory: residentBytes(),
            stores: stores
        )
    }

    /// Every key, by `SCAN` (never `KEYS`).
    private static func allKeys(_ client: RedisClient) async throws -> [String] {
        var cursor = "0"
        var names: [String] = []
        repeat {
            let parts = try await client.send("SCAN", cursor, "COUNT", 1_000).array ?? []
            cursor = parts.first?.string ?? "0"
            names += parts.last?.array?.compactMap(\.string) ?? []
        } while cursor != "0"
        return names
    }

    /// This process's resident memory, from `/proc/self/statm`.
    private static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
