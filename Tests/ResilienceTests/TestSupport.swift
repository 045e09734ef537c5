import Metrics
import Resilience
import Synchronization

/// A value shared by test tasks.
final class Locked<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) {
        storage = Mutex(value)
    }

    var value: Value { storage.withLock { $0 } }

    @discardableResult
    func mutate<R: Sendable>(_ body: (inout Value) -> R) -> R {
        storage.withLock { body(&$0) }
    }
}

/// An error that classifies itself, as other modules' errors do.
struct TestFailure: ResilienceClassifiable {
    var resilienceKind: ResilienceError.Code
    var resilienceRetryAfter: Duration?

    init(_ kind: ResilienceError.Code, retryAfter: Duration? = nil) {
        resilienceKind = kind
        resilienceRetryAfter = retryAfter
    }
}

/// A deterministic random number generator (SplitMix64) for property-style tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A metrics factory that remembers the last value of every gauge and the total of every counter.
final class RecordingMetrics: MetricsFactory, Sendable {
    final class Handler: CounterHandler, RecorderHandler, TimerHandler, Sendable {
        let key: String
        let values: Locked<[String: Double]>

        init(key: String, values: Locked<[String: Double]>) {
            self.key = key
            self.values = values
        }

        func increment(by amount: Int64) { values.mutate { $0[key, default: 0] += Double(amount) } }
        func reset() { values.mutate { $0[key] = 0 } }
        func record(_ value: Int64) { values.mutate { $0[key] = Double(value) } }
        func record(_ value: Double) { values.mutate { $0[key] = value } }
        func recordNanoseconds(_ duration: Int64) { values.mutate { $0[key] = Double(duration) } }
    }

    let values = Locked<[String: Double]>([:])

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        ([label] + dimensions.map { "\($0.0)=\($0.1)" }).joined(separator: ",")
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        Handler(key: Self.key(label, dimensions), values: values)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        Handler(key: Self.key(label, dimensions), values: values)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        Handler(key: Self.key(label, dimensions), values: values)
    }

    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}
