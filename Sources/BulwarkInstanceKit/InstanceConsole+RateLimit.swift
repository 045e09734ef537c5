import RedisClient
import Resilience
import SharedState

extension InstanceConsole {
    /// `rate-limit URL PREFIX NAME KEY LIMIT PERIOD_MS BURST MAX_BATCH CALLERS ATTEMPTS DURATION_MS`: `CALLERS`
    /// tasks each ask a fleet-wide limiter (over a client of this process's own, keys under `PREFIX`) for one
    /// permit of `KEY`, `ATTEMPTS` times or until `DURATION_MS` has passed (0: no bound), as fast as they can.
    ///
    /// Answers `admitted`, `denied`, `decisions`, the limiter's `script_calls`, `reserved` tokens,
    /// `fallback_decisions`, `fallbacks`, `expired`, the live instances it counted (`live`), its `status`
    /// (`shared` or `fallback`) at the end, and `elapsed_us`.
    func rateLimitCommand(_ words: [String]) async -> [String: Value]? {
        guard words.first == "rate-limit", words.count == 12,
            let limit = Int(words[5]), let periodMilliseconds = Int(words[6]), let burst = Int(words[7]),
            let maximumBatch = Int(words[8]), let callers = Int(words[9]), let attempts = Int(words[10]),
            let durationMilliseconds = Int(words[11]), (1...1_024).contains(callers), attempts >= 0, durationMilliseconds >= 0
        else {
            return words.first == "rate-limit"
                ? ["error": .string("usage: rate-limit URL PREFIX NAME KEY LIMIT PERIOD_MS BURST MAX_BATCH CALLERS ATTEMPTS DURATION_MS")] : nil
        }
        let client: RedisClient
        let limiter: SharedRateLimiter
        do {
            var redis = try RedisConfiguration(url: words[1])
            redis.commandTimeout = .milliseconds(200)
            redis.maximumReconnectDelay = .milliseconds(100)
            client = try RedisClient(configuration: redis)
            limiter = try SharedRateLimiter(
                client: client,
                configuration: SharedRateLimitConfiguration(
                    name: words[3],
                    limit: limit,
                    period: .milliseconds(periodMilliseconds),
                    burst: burst,
                    maximumBatch: maximumBatch,
                    batchLifetime: .seconds(5),
                    keyPrefix: words[2],
                    probeInterval: .milliseconds(50)
                )
            )
        } catch {
            return ["error": .string("\(error)")]
        }
        defer { client.shutdown() }
        let key = words[4]
        let clock = ContinuousClock()
        let start = clock.now
        let end = durationMilliseconds > 0 ? start + .milliseconds(durationMilliseconds) : nil
        let counts = await withTaskGroup(of: (admitted: Int, denied: Int).self) { group in
            for _ in 0..<callers {
                group.addTask {
                    var admitted = 0
                    var denied = 0
                    var attempt = 0
                    while attempts == 0 || attempt < attempts {
                        attempt += 1
                        if let end, attempt % 64 == 0, clock.now >= end { break }
                        switch try? await limiter.acquire(key: key).decision {
                        case .allowed?: admitted += 1
                        default: denied += 1
                        }
                        if attempt % 256 == 0 { await Task.yield() }
                    }
                    return (admitted, denied)
                }
            }
            return await group.reduce(into: (admitted: 0, denied: 0)) { total, counts in
                total.admitted += counts.admitted
                total.denied += counts.denied
            }
        }
        let elapsed = clock.now - start
        let statistics = limiter.statistics
        return [
            "admitted": .int(counts.admitted),
            "denied": .int(counts.denied),
            "decisions": .int(counts.admitted + counts.denied),
            "script_calls": .int(statistics.scriptCalls),
            "reserved": .int(statistics.reservedTokens),
            "expired": .int(statistics.expiredTokens),
            "fallback_decisions": .int(statistics.fallbackDecisions),
            "fallbacks": .int(statistics.fallbacks),
            "live": .int(limiter.liveInstances),
            "status": .string(limiter.status.isDegraded ? "fallback" : "shared"),
            "elapsed_us": .int(Int(elapsed.components.seconds) * 1_000_000 + Int(elapsed.components.attoseconds / 1_000_000_000_000)),
        ]
    }
}
