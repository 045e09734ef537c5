import Logging
import Metrics

/// Answers a failed call with a substitute: a fixed value or the result of a handler, for chosen kinds of failure.
///
/// ```swift
/// let fallback = FallbackPolicy<[Product]>(kinds: [.breakerOpen, .timeout, .unavailable], value: [])
/// let products = try await fallback.execute { try await catalog.products() }
/// ```
public struct FallbackPolicy<Output: Sendable>: Sendable {
    private enum Substitute: Sendable {
        case value(Output)
        case handler(@Sendable (ResilienceError) throws -> Output)
        case asyncHandler(@Sendable (ResilienceError) async throws -> Output)
    }

    /// The name, used in logs and metrics.
    public let name: String
    /// The kinds of failure answered; `nil` answers every failure but cancellation.
    public let kinds: Set<ResilienceError.Code>?
    private let substitute: Substitute
    private let telemetry: ResilienceTelemetry

    private init(name: String, kinds: Set<ResilienceError.Code>?, substitute: Substitute, telemetry: ResilienceTelemetry) {
        self.name = name
        self.kinds = kinds
        self.substitute = substitute
        self.telemetry = telemetry
    }

    /// A fallback that answers with a fixed value.
    /// - Parameters:
    ///   - name: The name; `fallback` by default.
    ///   - kinds: The kinds answered; every failure but cancellation when `nil`.
    ///   - value: The substitute.
    ///   - telemetry: Where logs and metrics go.
    public init(
        name: String = "fallback",
        kinds: Set<ResilienceError.Code>? = nil,
        value: Output,
        telemetry: ResilienceTelemetry = ResilienceTelemetry()
    ) {
        self.init(name: name, kinds: kinds, substitute: .value(value), telemetry: telemetry)
    }

    /// A fallback that answers with what `handler` returns for the classified failure.
    /// - Parameters:
    ///   - name: The name; `fallback` by default.
    ///   - kinds: The kinds answered; every failure but cancellation when `nil`.
    ///   - telemetry: Where logs and metrics go.
    ///   - handler: Computes the substitute; may throw to give up.
    public init(
        name: String = "fallback",
        kinds: Set<ResilienceError.Code>? = nil,
        telemetry: ResilienceTelemetry = ResilienceTelemetry(),
        handler: @escaping @Sendable (ResilienceError) throws -> Output
    ) {
        self.init(name: name, kinds: kinds, substitute: .handler(handler), telemetry: telemetry)
    }

    /// A fallback that answers with what an asynchronous `handler` returns; in ``executeSync(_:)`` it does not apply.
    /// - Parameters:
    ///   - name: The name; `fallback` by default.
    ///   - kinds: The kinds answered; every failure but cancellation when `nil`.
    ///   - telemetry: Where logs and metrics go.
    ///   - handler: Computes the substitute; may throw to give up.
    public init(
        name: String = "fallback",
        kinds: Set<ResilienceError.Code>? = nil,
        telemetry: ResilienceTelemetry = ResilienceTelemetry(),
        asyncHandler handler: @escaping @Sendable (ResilienceError) async throws -> Output
    ) {
        self.init(name: name, kinds: kinds, substitute: .asyncHandler(handler), telemetry: telemetry)
    }

    /// Runs `operation` and answers its chosen failures with the substitute.
    /// - Parameter operation: The call.
    /// - Returns: What `operation` returned, or the substitute.
    /// - Throws: A failure that is not answered, or what the handler threw.
    @inlinable
    public func execute(_ operation: () async throws -> Output) async throws -> Output {
        do {
            return try await operation()
        } catch {
            return try await answer(error)
        }
    }

    /// The substitute for `error`, or `error` rethrown when it is not answered.
    @usableFromInline
    func answer(_ error: any Error) async throws -> Output {
        guard let failure = answers(error) else { throw error }
        switch substitute {
        case .value(let value): return value
        case .handler(let handler): return try handler(failure)
        case .asyncHandler(let handler): return try await handler(failure)
        }
    }

    /// Runs a synchronous `operation` and answers its chosen failures with the value or synchronous handler.
    /// - Parameter operation: The call.
    /// - Returns: What `operation` returned, or the substitute.
    /// - Throws: A failure that is not answered (or whose substitute is asynchronous), or what the handler threw.
    public func executeSync(_ operation: () throws -> Output) throws -> Output {
        do {
            return try operation()
        } catch {
            let substituteFor: (ResilienceError) throws -> Output
            switch substitute {
            case .value(let value): substituteFor = { _ in value }
            case .handler(let handler): substituteFor = handler
            case .asyncHandler: throw error
            }
            guard let failure = answers(error) else { throw error }
            return try substituteFor(failure)
        }
    }

    private func answers(_ error: any Error) -> ResilienceError? {
        let failure = ResilienceError(classifying: error)
        guard failure.code != .cancelled, kinds?.contains(failure.code) ?? true else { return nil }
        telemetry.counter(ResilienceTelemetryNames.fallbacks, [("fallback", name), ("kind", failure.code.description)]).increment()
        telemetry.logger.debug(
            "fallback answered a failed call",
            metadata: ["event": "\(ResilienceTelemetryNames.fallbackEvent)", "fallback.name": "\(name)", "fallback.kind": "\(failure.code)"]
        )
        return failure
    }
}
