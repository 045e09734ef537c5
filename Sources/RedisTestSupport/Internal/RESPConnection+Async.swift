import Foundation

extension RESPConnection {
    /// Connects to `host:port`, sends `commands` one after the other and returns their replies.
    ///
    /// The socket work runs on a thread of its own, so the cooperative pool is never blocked; the whole
    /// exchange, connect included, must finish within `timeout`.
    static func exchange(
        host: String,
        port: Int,
        commands: [[String]],
        timeout: Duration
    ) async throws(RedisTestSupportError) -> [RESPValue] {
        let deadline = ContinuousClock.now + timeout
        let result: Result<[RESPValue], RedisTestSupportError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                do throws(RedisTestSupportError) {
                    let connection = try RESPConnection(host: host, port: port, deadline: deadline)
                    var replies: [RESPValue] = []
                    for command in commands {
                        replies.append(try connection.call(command))
                    }
                    continuation.resume(returning: .success(replies))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            thread.name = "RedisTestSupport.RESP"
            thread.start()
        }
        return try result.get()
    }
}
