import RedisClient

/// A dead letter on its way into a stream: what one `XADD` writes, kept in local memory while Redis is away.
struct PendingDeadLetter: Sendable, Hashable {
    let queue: DeadLetterQueueName
    let payload: [UInt8]
    let error: String
    let attempts: Int
    /// Milliseconds since 1970.
    let firstFailure: Int64
    /// Milliseconds since 1970.
    let lastFailure: Int64

    /// `XADD <key> MAXLEN <~|=> <n> * payload … error … attempts … first_failure … last_failure …`.
    func command(prefix: String, maximumLength: Int, exactTrimming: Bool) -> RedisCommand {
        RedisCommand(
            "XADD",
            argumentList: [
                queue.streamKey(prefix: prefix), "MAXLEN", exactTrimming ? "=" : "~", maximumLength, "*",
                DeadLetterFields.payload, payload, DeadLetterFields.error, error, DeadLetterFields.attempts, attempts,
                DeadLetterFields.firstFailure, String(firstFailure), DeadLetterFields.lastFailure, String(lastFailure),
            ]
        )
    }
}
