import BulwarkInstanceKit
import Foundation
import RedisTestSupport

/// Starts Redis and `count` instances (`bulwark-instance` processes) with `arguments`, runs `body`, and always
/// stops them all.
func withFleet(
    _ count: Int,
    arguments: [String],
    _ body: (RedisServerProcess, [InstanceProcess]) async throws -> Void
) async throws {
    let server = try await RedisServerProcess.start()
    var instances: [InstanceProcess] = []
    do {
        for index in 0..<count {
            instances.append(try await InstanceProcess.start(redisURL: server.url, instance: "i\(index)", arguments: arguments))
        }
        try await body(server, instances)
    } catch {
        for instance in instances { instance.terminate() }
        await server.shutdown()
        throw error
    }
    for instance in instances { await instance.stop() }
    await server.shutdown()
}

/// Sends `command` until `done` holds for the answer, pausing 20 ms between tries; returns the last answer
/// (check it: after `attempts` tries it may not satisfy `done`).
func until(
    _ instance: InstanceProcess,
    _ command: String,
    attempts: Int = 100,
    _ done: (InstanceProcess.Answer) -> Bool
) async throws -> InstanceProcess.Answer {
    var answer = try await instance.send(command)
    for _ in 0..<attempts where !done(answer) {
        try await Task.sleep(for: .milliseconds(20))
        answer = try await instance.send(command)
    }
    return answer
}
