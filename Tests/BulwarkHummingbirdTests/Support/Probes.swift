import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// Counts how often a handler ran, per label.
final class RunCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    /// Counts one run of `label` and returns how many there have been.
    @discardableResult
    func count(_ label: String) -> Int {
        counts.withLock { counts in
            counts[label, default: 0] += 1
            return counts[label]!
        }
    }

    /// How many runs of `label` there have been.
    subscript(_ label: String) -> Int { counts.withLock { $0[label] ?? 0 } }
}

/// Holds handlers until the test opens it, and tells the test when a handler arrived.
final class Gate: Sendable {
    private let arrivals: AsyncStream<Void>.Continuation
    private let arrivalStream: AsyncStream<Void>
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    init() {
        (arrivalStream, arrivals) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Called by a handler: reports its arrival and waits until the test opens the gate.
    func pass() async {
        arrivals.yield()
        await withCheckedContinuation { continuation in
            let open = state.withLock { state in
                if !state.open { state.waiters.append(continuation) }
                return state.open
            }
            if open { continuation.resume() }
        }
    }

    /// Waits until a handler arrived (one arrival per call; the test's time limit catches none).
    func arrival() async {
        for await _ in arrivalStream { return }
    }

    /// Lets every waiting and future handler through.
    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// The `error` object of an error envelope.
    var envelope: [String: Any] {
        let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        return object?["error"] as? [String: Any] ?? [:]
    }

    /// The envelope's `code`.
    var errorCode: String? { envelope["code"] as? String }

    /// The value of the cookie `name` that the response sets, and the whole `Set-Cookie` line.
    func setCookie(_ name: String) -> (value: String, line: String)? {
        for line in headers[values: .setCookie] where line.hasPrefix(name + "=") {
            let value = line.dropFirst(name.count + 1).prefix { $0 != ";" }
            return (String(value), line)
        }
        return nil
    }
}

/// Polls `condition` until it holds, failing the test when `deadline` passes first.
func waitUntil(_ what: String, deadline: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
    let clock = ContinuousClock()
    let end = clock.now.advanced(by: deadline)
    while clock.now < end {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("timed out waiting until \(what)")
    throw CancellationError()
}

/// A body from text.
func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
