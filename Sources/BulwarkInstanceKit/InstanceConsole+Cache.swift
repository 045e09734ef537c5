import SharedState

extension InstanceConsole {
    /// `cache-get KEY VALUE [TAG…]`: one get-or-set of `KEY` whose factory makes `VALUE`, filed under the tags and
    /// fresh for a minute. Answers the value the cache gave and how many entries the in-process tier holds.
    /// `cache-local`: only that count — it drops when an invalidation from another process reaches this one.
    func cacheCommand(_ words: [String]) async -> [String: Value]? {
        switch words.first {
        case "cache-get" where words.count >= 3:
            let value = words[2]
            do {
                let answer = try await cache.getOrSet(words[1], options: CacheEntryOptions(timeToLive: .seconds(60), tags: Array(words.dropFirst(3))))
                {
                    value
                }
                return ["value": .string(answer), "local": .int(cache.localCount)]
            } catch {
                return ["error": .string("\(error)")]
            }
        case "cache-local":
            return ["local": .int(cache.localCount)]
        default:
            return nil
        }
    }
}
