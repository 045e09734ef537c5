/// How many calls a ``Bulkhead`` runs at once and how many may wait.
///
/// Defaults: 10 concurrent calls (the `llm` profile of the design), 10 waiting, and a 1 s queue
/// timeout: waiting longer than that adds latency a caller would rather see as a fast rejection.
public struct BulkheadConfiguration: Sendable, Hashable {
    /// Calls that may run at once; at least 1.
    public var maxConcurrentCalls: Int
    /// Calls that may wait for a slot; 0 rejects at once when full.
    public var maxQueuedCalls: Int
    /// The longest a call waits in the queue before it is rejected.
    public var queueTimeout: Duration

    /// Creates a configuration; every parameter has the default described above.
    /// - Parameters:
    ///   - maxConcurrentCalls: Calls at once.
    ///   - maxQueuedCalls: Calls waiting.
    ///   - queueTimeout: The longest wait.
    public init(maxConcurrentCalls: Int = 10, maxQueuedCalls: Int = 10, queueTimeout: Duration = .seconds(1)) {
        self.maxConcurrentCalls = maxConcurrentCalls
        self.maxQueuedCalls = maxQueuedCalls
        self.queueTimeout = queueTimeout
    }

    /// Checks the invariants.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/badRequest`` naming the field at fault.
    public func validate() throws(ResilienceError) {
        if maxConcurrentCalls < 1 { throw ResilienceError(.badRequest, message: "maxConcurrentCalls must be at least 1") }
        if maxQueuedCalls < 0 { throw ResilienceError(.badRequest, message: "maxQueuedCalls must not be negative") }
        if queueTimeout < .zero { throw ResilienceError(.badRequest, message: "queueTimeout must not be negative") }
    }
}
