import Synchronization

extension DeadLetterStore {
    /// Registers the handler that ``retry(_:in:)`` and ``retryBatch(_:limit:)`` run for a queue, replacing any
    /// earlier one; the admin API and dashboard retry through it.
    ///
    /// ```swift
    /// store.register(try DeadLetterQueueName("orders")) { letter in
    ///     try await orders.process(letter.payload)
    /// }
    /// ```
    public func register(_ queue: DeadLetterQueueName, handler: @escaping @Sendable (DeadLetter) async throws -> Void) {
        handlers.withLock { $0[queue] = handler }
    }

    /// Retries one entry through the handler registered for its queue, as ``retry(_:in:handler:)`` does.
    /// - Throws: ``SharedStateError/Code/invalidConfiguration`` when no handler is registered (nothing is taken
    ///   from the queue); ``SharedStateError/Code/storeUnavailable`` when Redis is unreachable.
    public func retry(_ id: DeadLetterID, in queue: DeadLetterQueueName) async throws(SharedStateError) -> DeadLetterRetryOutcome {
        try await retry(id, in: queue, handler: registeredHandler(queue))
    }

    /// Retries up to `limit` of the oldest entries through the handler registered for the queue, as
    /// ``retryBatch(_:limit:handler:)`` does.
    /// - Throws: ``SharedStateError/Code/invalidConfiguration`` when no handler is registered (nothing is taken
    ///   from the queue); ``SharedStateError/Code/storeUnavailable`` when Redis is unreachable.
    public func retryBatch(_ queue: DeadLetterQueueName, limit: Int) async throws(SharedStateError) -> DeadLetterBatchResult {
        try await retryBatch(queue, limit: limit, handler: registeredHandler(queue))
    }

    private func registeredHandler(_ queue: DeadLetterQueueName) throws(SharedStateError) -> @Sendable (DeadLetter) async throws -> Void {
        guard let handler = handlers.withLock({ $0[queue] }) else {
            throw SharedStateError(.invalidConfiguration, "no retry handler is registered for dead-letter queue '\(queue)'")
        }
        return handler
    }
}
