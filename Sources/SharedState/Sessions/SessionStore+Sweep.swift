import Logging
import RedisClient
import ServiceLifecycle

extension SessionStore {
    /// Finds sessions that expired since the last sweep, removes them from the indexes and reports each as
    /// ``SessionEvent/expired(_:user:)`` on ``events``.
    ///
    /// Any number of instances may sweep at the same time: claiming an expiry and removing it from the index
    /// are one atomic script, so exactly one store reports each expiry.
    /// - Returns: The expiries this sweep claimed.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis cannot be reached; what was claimed
    ///   before the failure has been reported.
    @discardableResult
    public func sweep() async throws(SharedStateError) -> Int {
        let batch = configuration.sweepBatchSize
        var claimed = 0
        while true {
            let reply = try await evaluate(
                SessionScripts.sweep,
                keys: [keys.expiry],
                arguments: [String(batch), keys.sessionPrefix, keys.userPrefix]
            )
            guard let parts = reply.array, parts.count == 2, let examined = parts[0].int, let members = parts[1].array else {
                throw SharedStateError(.unexpectedReply, "the session sweep returned \(reply)")
            }
            for member in members {
                guard let (id, user) = Self.parse(member) else {
                    throw SharedStateError(.unexpectedReply, "the session sweep returned \(member)")
                }
                continuation.yield(.expired(id, user: user))
                claimed += 1
            }
            if examined < batch { return claimed }
        }
    }

    /// Sweeps every ``SessionConfiguration/sweepInterval`` until cancelled or told to shut down gracefully.
    ///
    /// A sweep that fails because Redis is away is tried again at the next interval; the first failure of
    /// an outage is logged as a warning, the following ones at debug, and the recovery once.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var failing = false
            while !Task.isCancelled {
                do {
                    try await self.sweep()
                    if failing { self.logger.info("session sweep works again") }
                    failing = false
                } catch {
                    self.logger.log(
                        level: failing ? .debug : .warning,
                        "session sweep failed; retrying every \(self.configuration.sweepInterval)",
                        metadata: ["session.error": "\(error)"]
                    )
                    failing = true
                }
                try? await Task.sleep(for: self.configuration.sweepInterval)
            }
        }
    }

    /// Splits an expiry index member `<id>:<user>`.
    private static func parse(_ member: RedisValue) -> (SessionID, SessionUser)? {
        guard let text = member.string, text.utf8.count > SessionID.length + 1 else { return nil }
        let separator = text.index(text.startIndex, offsetBy: SessionID.length)
        guard text[separator] == ":",
            let id = try? SessionID(String(text[..<separator])),
            let user = try? SessionUser(String(text[text.index(after: separator)...]))
        else { return nil }
        return (id, user)
    }
}
