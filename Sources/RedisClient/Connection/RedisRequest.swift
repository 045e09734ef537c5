/// Commands waiting for a connection's thread, with the continuation of the task that waits for their replies.
struct RedisRequest: Sendable {
    /// Who receives the replies.
    enum Completion: Sendable {
        case single(UnsafeContinuation<RedisValue, any Error>)
        case many(UnsafeContinuation<[RedisValue], any Error>)
    }

    /// One or more commands, RESP-encoded back to back.
    let encoded: [UInt8]
    /// How many replies the commands produce.
    let replyCount: Int
    /// Who receives the replies.
    let completion: Completion

    func succeed(_ values: [RedisValue]) {
        switch completion {
        case .single(let continuation): continuation.resume(returning: values[0])
        case .many(let continuation): continuation.resume(returning: values)
        }
    }

    func succeed(_ value: RedisValue) {
        switch completion {
        case .single(let continuation): continuation.resume(returning: value)
        case .many(let continuation): continuation.resume(returning: [value])
        }
    }

    func fail(_ error: RedisClientError) {
        switch completion {
        case .single(let continuation): continuation.resume(throwing: error)
        case .many(let continuation): continuation.resume(throwing: error)
        }
    }
}
