extension ResilienceError {
    /// The failure taxonomy: what went wrong, independent of which library reported it.
    ///
    /// Codes are values of a struct over a private enum, so new codes can be added without breaking
    /// callers' `switch` statements. Each code knows whether it is one of the ``dependencyFailures``.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: String, Hashable, Sendable {
            case timeout
            case connection
            case rateLimited = "rate-limited"
            case authentication
            case permission
            case notFound = "not-found"
            case badRequest = "bad-request"
            case conflict
            case serverError = "server-error"
            case unavailable
            case breakerOpen = "breaker-open"
            case bulkheadFull = "bulkhead-full"
            case cancelled
            case unknown
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// The operation did not finish in time (also HTTP 408 and 504, `ETIMEDOUT`).
        public static let timeout = Code(.timeout)
        /// The connection could not be made or was lost (`ECONNREFUSED`, `ECONNRESET`, …).
        public static let connection = Code(.connection)
        /// The callee or a local limiter refused because of rate (HTTP 429); may carry a Retry-After.
        public static let rateLimited = Code(.rateLimited)
        /// The caller is not authenticated (HTTP 401).
        public static let authentication = Code(.authentication)
        /// The caller is not allowed (HTTP 403, `EACCES`, `EPERM`).
        public static let permission = Code(.permission)
        /// The thing asked for does not exist (HTTP 404 and 410, `ENOENT`).
        public static let notFound = Code(.notFound)
        /// The request is wrong and will stay wrong (other HTTP 4xx, `EINVAL`).
        public static let badRequest = Code(.badRequest)
        /// The request conflicts with the current state (HTTP 409).
        public static let conflict = Code(.conflict)
        /// The callee failed (HTTP 500 and other 5xx).
        public static let serverError = Code(.serverError)
        /// The callee is there but cannot serve now (HTTP 502 and 503, `EAGAIN`, `ENOBUFS`).
        public static let unavailable = Code(.unavailable)
        /// A circuit breaker rejected the call without running it.
        public static let breakerOpen = Code(.breakerOpen)
        /// A bulkhead rejected the call: no free slot and the wait queue full or timed out.
        public static let bulkheadFull = Code(.bulkheadFull)
        /// The caller's task was cancelled (`CancellationError`, `ECANCELED`).
        public static let cancelled = Code(.cancelled)
        /// Nothing typed said what happened.
        public static let unknown = Code(.unknown)

        /// Every code, in a stable order.
        public static let allCases: [Code] = [
            .timeout, .connection, .rateLimited, .authentication, .permission, .notFound, .badRequest, .conflict,
            .serverError, .unavailable, .breakerOpen, .bulkheadFull, .cancelled, .unknown,
        ]

        /// The kinds that mean the dependency failed or could not be reached: timeout, connection, rate-limited,
        /// server-error, unavailable and unknown.
        ///
        /// This one set is the default of every policy that asks "did the call fail?": a ``CircuitBreaker`` counts
        /// these kinds as failures and a ``RetryPolicy`` tries them again; every other kind counts as an answer.
        /// - **unknown is a failure**: an error that says nothing about itself (a plain `Error`, an error of a
        ///   library that does not conform to ``ResilienceClassifiable``) is taken as the dependency failing, so
        ///   "2 retries" retries it and the breaker counts it, as in Polly and resilience4j. Classify errors that
        ///   must not be retried (a declined card) with ``ResilienceClassifiable``, or set the policy's predicate.
        /// - **Rejections are not failures**: breaker-open and bulkhead-full mean that the call never ran; retrying
        ///   an open breaker only waits out its break, so neither is retried nor counted.
        /// - authentication, permission, not-found, bad-request and conflict are answers (retrying repeats them),
        ///   and cancelled means the caller gave up.
        public static let dependencyFailures: Set<Code> = [.timeout, .connection, .rateLimited, .serverError, .unavailable, .unknown]

        /// Whether this kind is one of the ``dependencyFailures``: counted by a breaker and retried, by default.
        public var isDependencyFailure: Bool {
            switch backing {
            case .timeout, .connection, .rateLimited, .serverError, .unavailable, .unknown: true
            case .authentication, .permission, .notFound, .badRequest, .conflict, .breakerOpen, .bulkheadFull, .cancelled: false
            }
        }

        /// The stable name, such as `rate-limited`, used in logs and metric dimensions.
        public var description: String { backing.rawValue }

        /// Classifies an HTTP status code; `nil` for 1xx, 2xx and 3xx, which are not failures.
        /// - Parameter httpStatus: The response status.
        public init?(httpStatus: Int) {
            switch httpStatus {
            case 401: self = .authentication
            case 403: self = .permission
            case 404, 410: self = .notFound
            case 408, 504: self = .timeout
            case 409: self = .conflict
            case 429: self = .rateLimited
            case 400..<500: self = .badRequest
            case 502, 503: self = .unavailable
            case 500..<600: self = .serverError
            default: return nil
            }
        }

        /// Classifies a POSIX `errno` value; `nil` for zero, which is not a failure.
        /// - Parameter errno: The error number.
        public init?(errno: Int32) {
            guard errno != 0 else { return nil }
            self = POSIXErrorTable.code(for: errno)
        }

        /// Classifies any error from its typed information (never from its message).
        /// - Parameter error: The error to classify.
        public init(classifying error: any Error) {
            switch error {
            case let error as ResilienceError: self = error.code
            case let error as any ResilienceClassifiable: self = error.resilienceKind
            case is CancellationError: self = .cancelled
            default: self = .unknown
            }
        }
    }
}
