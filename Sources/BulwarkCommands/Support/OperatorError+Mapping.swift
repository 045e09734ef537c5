import RedisClient
import SharedState

extension OperatorError {
    /// The operator's view of any error a command met, with the Redis URL shown without its password.
    /// - Parameters:
    ///   - error: What was thrown.
    ///   - redis: The redacted Redis URL, named when Redis could not be reached.
    init(_ error: any Error, redis: String) {
        switch error {
        case let error as OperatorError:
            self = error
        case let error as SharedStateError:
            switch error.code {
            case .invalidName, .invalidConfiguration:
                self.init(.usage, error.message)
            case .storeUnavailable:
                if let underlying = error.underlying as? RedisClientError {
                    self.init(underlying, redis: redis)
                } else {
                    self.init(.unavailable, "cannot reach Redis at \(redis): \(error.message)")
                }
            default:
                self.init(.dataError, "Redis holds data the command cannot read: \(error.message)")
            }
        case let error as RedisClientError:
            switch error.code {
            case .invalidURL, .invalidConfiguration:
                self.init(.usage, error.message)
            case .serverError, .unexpectedReply:
                self.init(.dataError, "Redis at \(redis) refused the command: \(error.message)")
            default:
                self.init(.unavailable, "cannot reach Redis at \(redis) (\(error.code))")
            }
        default:
            self.init(.internalError, "unexpected failure: \(error)")
        }
    }
}
