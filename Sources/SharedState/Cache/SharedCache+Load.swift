import Foundation
import RedisClient
import Synchronization

extension SharedCache {
    /// The value of `key`: fresh from the in-process tier or Redis, else made by `factory` once in the fleet.
    ///
    /// It runs on the caller's executor (`nonisolated(nonsending)`), so a hit in the in-process tier answers
    /// without switching executors; a miss suspends at its first round trip to Redis.
    ///
    /// - Parameters:
    ///   - key: 1 to 512 bytes of printable ASCII without spaces.
    ///   - options: TTL, sliding expiration and tags.
    ///   - factory: Makes the value on a miss.
    /// - Returns: The value.
    /// - Throws: ``SharedStateError`` for a malformed key; the factory's error (or a timeout) when no stale
    ///   value within the fail-safe age can stand in.
    nonisolated(nonsending) public func getOrSet<Value: Codable & Sendable>(
        _ key: String,
        options: CacheEntryOptions = CacheEntryOptions(),
        factory: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let key = try CacheKey(key).value
        let tags = try options.tags.map { tag throws(SharedStateError) in try CacheKey(tag, what: "tag").value }
        if configuration.localTierEnabled, localTrusted.load(ordering: .relaxed), let bytes = local.freshBytes(key, at: .now) {
            return try codec.decode(Value.self, from: bytes)
        }
        counters.localMisses.add(1, ordering: .relaxed)
        let codec = self.codec
        let bytes = try await flights.run(key) {
            try await self.load(key, tags: tags, options: options) { try codec.encode(try await factory()) }
        }
        return try codec.decode(Value.self, from: bytes)
    }

    /// Reads Redis, takes the fill lock or waits for whoever has it, and falls back as documented.
    func load(
        _ key: String,
        tags: [String],
        options: CacheEntryOptions,
        produce: @escaping @Sendable () async throws -> [UInt8]
    ) async throws -> [UInt8] {
        let timeToLive = options.timeToLive ?? configuration.defaultTimeToLive
        var stale = localStale(key)
        let deadline = ContinuousClock.now + configuration.factoryHardTimeout + .seconds(1)
        // Listening before the first read: a fill announced between a read and the wait still ends the wait.
        let ticket = fills.register(key)
        defer { fills.cancel(ticket) }
        // Whether the next read is a poll after a wait in which no fill message came.
        var polling = false
        while true {
            let token = SharedBreakerOptions.randomInstanceID() + SharedBreakerOptions.randomInstanceID()
            let removalsBeforeRead = local.removalCount
            let read: RedisRead
            do {
                if polling {
                    switch try await pollRacingFill(key, ticket: ticket, lockToken: token) {
                    case .read(let answer): read = answer
                    case .filled(let filled):
                        if let bytes = answer(key, filled) { return bytes }
                        // Invalidated since the value came: Redis says what holds now.
                        read = try await readRedis(key, lockToken: token)
                    }
                } else {
                    read = try await readRedis(key, lockToken: token)
                }
            } catch {
                return try await withoutRedis(key, stale: stale, timeToLive: timeToLive, tags: tags, produce: produce)
            }
            if let stored = read.stored {
                if stored.freshMilliseconds > 0 {
                    counters.redisHits.add(1, ordering: .relaxed)
                    remember(
                        key,
                        stored.bytes,
                        freshFor: .milliseconds(stored.freshMilliseconds),
                        tags: stored.tags,
                        unlessRemovedSince: removalsBeforeRead
                    )
                    if shouldRefreshEarly(stored) {
                        helpers.spawn {
                            await self.refreshEarly(
                                key,
                                current: stored.bytes,
                                timeToLive: timeToLive,
                                options: options,
                                tags: tags,
                                produce: produce
                            )
                        }
                    }
                    return stored.bytes
                }
                if -stored.freshMilliseconds < SharedBreakerRules.milliseconds(configuration.failSafeMaximumAge) {
                    stale = stored.bytes
                }
            }
            if read.locked {
                counters.redisMisses.add(1, ordering: .relaxed)
                return try await fill(key, token: token, stale: stale, timeToLive: timeToLive, options: options, tags: tags, produce: produce)
            }
            guard ContinuousClock.now < deadline else {
                if let stale { return stale }
                throw SharedStateError(.storeUnavailable, "waited too long for another instance to fill '\(key)'")
            }
            let fill = await fills.wait(ticket, timeout: configuration.fillPollInterval)
            if case .value(let filled) = fill, let bytes = answer(key, filled) { return bytes }
            // After an announcement, Redis has the value; after a silent interval, the read is a poll.
            polling = fill == nil
        }
    }

    /// A value another instance's fill message carried: kept in the in-process tier like one read from Redis.
    /// `nil` when an invalidation came after the message (the value may be the one invalidated): read Redis.
    private func answer(_ key: String, _ filled: FilledValue) -> [UInt8]? {
        guard filled.removalsAtArrival == local.removalCount else { return nil }
        counters.redisHits.add(1, ordering: .relaxed)
        remember(key, filled.bytes, freshFor: filled.timeToLive, tags: filled.tags, unlessRemovedSince: filled.removalsAtArrival)
        return filled.bytes
    }

    /// What ended a poll: its read, or a fill message that carried the value first.
    private enum PollOutcome {
        case read(RedisRead)
        case filled(FilledValue)
    }

    /// The racers of a poll.
    private enum PollRace: Sendable {
        case read(Result<RedisRead, any Error>)
        case filled(FilledValue)
    }

    /// Reads Redis while still listening for the fill: a fill message that carries the value answers at once,
    /// instead of after the read (a poll often coincides with the fill, as when the factory takes about one poll
    /// interval). A read so overtaken finishes in the background and gives back the fill lock if it took it
    /// (possible only when the lock had expired), so that the key is not blocked until the lock expires.
    private func pollRacingFill(_ key: String, ticket: FillWaiters.Ticket, lockToken: String) async throws -> PollOutcome {
        let first = FirstAnswer<PollRace>()
        helpers.spawn {
            let result: Result<RedisRead, any Error>
            do {
                result = .success(try await self.readRedis(key, lockToken: lockToken))
            } catch {
                result = .failure(error)
            }
            if !first.offer(.read(result)), case .success(let read) = result, read.locked {
                _ = try? await self.client.evaluate(SharedCacheScripts.unlock, keys: [self.lockKey(key)], arguments: [lockToken])
            }
        }
        let listener = helpers.spawn {
            // Ended by the read's answer (cancelled below) long before this timeout.
            let fill = await self.fills.wait(ticket, timeout: self.configuration.factoryHardTimeout + .seconds(1))
            switch fill {
            case .value(let filled)?:
                // Overtaken by the read: the value is kept for the next wait.
                if !first.offer(.filled(filled)) { self.fills.keep(ticket, .value(filled)) }
            case .announced?:
                self.fills.keep(ticket, .announced)
            case nil:
                break
            }
        }
        let outcome = await first.value
        // One wait on the ticket at a time: this one ends before the caller's next.
        listener.cancel()
        await listener.value
        switch outcome {
        case .read(let result): return .read(try result.get())
        case .filled(let filled): return .filled(filled)
        }
    }

    /// Runs the factory as the lock owner, stores and announces the value, and releases the lock.
    private func fill(
        _ key: String,
        token: String,
        stale: [UInt8]?,
        timeToLive: Duration,
        options: CacheEntryOptions,
        tags: [String],
        produce: @escaping @Sendable () async throws -> [UInt8]
    ) async throws -> [UInt8] {
        let started = ContinuousClock.now
        let finish: @Sendable ([UInt8]) async -> Void = { bytes in
            let factoryTime = ContinuousClock.now - started
            await self.store(key, bytes, timeToLive: timeToLive, sliding: options.sliding, tags: tags, factoryTime: factoryTime, lockToken: token)
        }
        let work = FactoryRun(helpers: helpers, produce)
        // With a stale value to fall back on, a slow factory is left to finish in the background, until its hard
        // timeout.
        if let stale, let soft = configuration.factorySoftTimeout {
            switch await work.outcome(within: soft) {
            case .some(.success(let bytes)):
                await finish(bytes)
                return bytes
            case .some(.failure):
                _ = try? await client.evaluate(SharedCacheScripts.unlock, keys: [lockKey(key)], arguments: [token])
                return stale
            case nil:
                let rest = configuration.factoryHardTimeout - soft
                helpers.spawn {
                    if case .success(let bytes) = await work.outcome(within: rest) {
                        await finish(bytes)
                    } else {
                        work.cancel()
                        _ = try? await self.client.evaluate(SharedCacheScripts.unlock, keys: [self.lockKey(key)], arguments: [token])
                    }
                }
                return stale
            }
        }
        switch await work.outcome(within: configuration.factoryHardTimeout) {
        case .some(.success(let bytes)):
            await finish(bytes)
            return bytes
        case .some(.failure(let error)):
            _ = try? await client.evaluate(SharedCacheScripts.unlock, keys: [lockKey(key)], arguments: [token])
            if let stale { return stale }
            throw error
        case nil:
            work.cancel()
            _ = try? await client.evaluate(SharedCacheScripts.unlock, keys: [lockKey(key)], arguments: [token])
            if let stale { return stale }
            throw SharedStateError(.storeUnavailable, "the factory for '\(key)' did not finish within its hard timeout")
        }
    }

    /// Redis is unreachable: a stale in-process value if there is one, else the factory, kept in-process.
    private func withoutRedis(
        _ key: String,
        stale: [UInt8]?,
        timeToLive: Duration,
        tags: [String],
        produce: @escaping @Sendable () async throws -> [UInt8]
    ) async throws -> [UInt8] {
        if let stale { return stale }
        let work = FactoryRun(helpers: helpers, produce)
        switch await work.outcome(within: configuration.factoryHardTimeout) {
        case .some(.success(let bytes)):
            remember(key, bytes, freshFor: timeToLive, tags: tags)
            return bytes
        case .some(.failure(let error)):
            throw error
        case nil:
            work.cancel()
            throw SharedStateError(.storeUnavailable, "Redis is unreachable and the factory for '\(key)' timed out")
        }
    }

    /// A value as Redis holds it.
    struct StoredValue {
        var bytes: [UInt8]
        /// Freshness left, negative when stale.
        var freshMilliseconds: Int
        var tags: [String]
        /// How long the factory took to make it.
        var factoryMilliseconds: Int
    }

    /// XFetch: refresh when `factoryTime × beta × −ln(random)` reaches the freshness left.
    private func shouldRefreshEarly(_ stored: StoredValue) -> Bool {
        guard let beta = configuration.earlyRefreshBeta, stored.factoryMilliseconds > 0 else { return false }
        let random = Double.random(in: Double.leastNonzeroMagnitude..<1)
        return Double(stored.factoryMilliseconds) * beta * -log(random) >= Double(stored.freshMilliseconds)
    }

    /// Remakes a value before it expires, if no instance is already filling it; callers meanwhile get the
    /// current value.
    private func refreshEarly(
        _ key: String,
        current: [UInt8],
        timeToLive: Duration,
        options: CacheEntryOptions,
        tags: [String],
        produce: @escaping @Sendable () async throws -> [UInt8]
    ) async {
        let token = SharedBreakerOptions.randomInstanceID() + SharedBreakerOptions.randomInstanceID()
        let lockMilliseconds = SharedBreakerRules.milliseconds(configuration.factoryHardTimeout + .seconds(1))
        guard (try? await client.send("SET", lockKey(key), token, "NX", "PX", lockMilliseconds))?.string == "OK" else { return }
        _ = try? await fill(key, token: token, stale: current, timeToLive: timeToLive, options: options, tags: tags, produce: produce)
    }

    /// What one read of Redis found, and whether it took the fill lock.
    struct RedisRead {
        var stored: StoredValue?
        var locked: Bool
    }

    /// Reads `key`, taking the fill lock with `lockToken` when the value is not fresh and the lock is free.
    func readRedis(_ key: String, lockToken: String) async throws -> RedisRead {
        let reply = try await client.evaluate(
            SharedCacheScripts.read,
            keys: [valueKey(key), lockKey(key), waitingKey(key)],
            arguments: [
                String(SharedBreakerRules.milliseconds(configuration.failSafeMaximumAge)), tagKey(""), key, lockToken,
                String(SharedBreakerRules.milliseconds(configuration.factoryHardTimeout + .seconds(1))),
            ]
        )
        guard let parts = reply.array, parts.count == 6, let fresh = parts[1].int, let present = parts[4].int, let locked = parts[5].int else {
            throw SharedStateError(.unexpectedReply, "cache read of '\(key)' answered \(reply)")
        }
        let stored =
            present == 1
            ? parts[0].bytes.map { bytes in
                StoredValue(
                    bytes: bytes,
                    freshMilliseconds: fresh,
                    tags: (parts[2].string ?? "").split(separator: " ").map(String.init),
                    factoryMilliseconds: parts[3].int ?? 0
                )
            } : nil
        return RedisRead(stored: stored, locked: locked == 1)
    }

    /// Stores a value made by the factory, announces the fill and releases the fill lock held with `lockToken`,
    /// in one script. Best effort: should it fail, waiters find no value at their next poll and take the lock
    /// once it expires.
    func store(
        _ key: String,
        _ bytes: [UInt8],
        timeToLive: Duration,
        sliding: Bool,
        tags: [String],
        factoryTime: Duration,
        lockToken: String
    ) async {
        remember(key, bytes, freshFor: timeToLive, tags: tags)
        let arguments: [[UInt8]] = [
            bytes, Array(String(SharedBreakerRules.milliseconds(timeToLive)).utf8),
            Array(String(SharedBreakerRules.milliseconds(configuration.failSafeMaximumAge)).utf8),
            Array((sliding ? "1" : "0").utf8), Array(key.utf8), Array(tags.joined(separator: " ").utf8),
            Array(String(SharedBreakerRules.milliseconds(factoryTime)).utf8), Array(lockToken.utf8),
            Array(eventsChannel.utf8), Array(fillMessage(key).utf8),
            bytes.count <= configuration.fillMessageValueLimit ? Array(valueFillMessageHead(key, timeToLive: timeToLive, tags: tags).utf8) : [],
        ]
        _ = try? await client.evaluate(
            SharedCacheScripts.write,
            keys: [valueKey(key), lockKey(key), waitingKey(key)] + tags.map(tagKey),
            arguments: arguments
        )
    }

    /// Keeps a value in the in-process tier; with `unlessRemovedSince` (a ``LocalCacheTier/removalCount`` taken
    /// before the value was read), not when an invalidation came meanwhile, which may have been of this value.
    func remember(_ key: String, _ bytes: [UInt8], freshFor: Duration, tags: [String], unlessRemovedSince: UInt64? = nil) {
        guard configuration.localTierEnabled else { return }
        if let unlessRemovedSince, local.removalCount != unlessRemovedSince { return }
        let now = ContinuousClock.now
        local.store(
            key,
            LocalCacheTier.Entry(
                bytes: bytes,
                freshUntil: now + min(freshFor, configuration.localTierMaximumAge),
                staleUntil: now + freshFor + configuration.failSafeMaximumAge,
                tags: tags
            )
        )
    }

    private func localStale(_ key: String) -> [UInt8]? {
        guard let entry = local.entry(key), entry.staleUntil > .now else { return nil }
        return entry.bytes
    }
}
