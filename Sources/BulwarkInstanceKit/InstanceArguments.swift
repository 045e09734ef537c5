import SharedState

/// The command-line arguments of `bulwark-instance`.
struct InstanceArguments {
    var redisURL = "redis://127.0.0.1:6379"
    var breaker = "bench"
    var threshold = 5
    var breakMilliseconds = 1_000
    var scope = BreakerScope.shared
    var permits = 1
    var flushMilliseconds = 250
    var commandTimeoutMilliseconds = 500
    var instanceID = SharedBreakerOptions.randomInstanceID()
    var keyPrefix = "bulwark"
    var firstStateWaitMilliseconds = 1_000

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(_ arguments: ArraySlice<String>) throws {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { throw Invalid(description: "\(flag) needs a value") }
            func number() throws -> Int {
                guard let number = Int(value), number > 0 else { throw Invalid(description: "\(flag) needs a positive number, got '\(value)'") }
                return number
            }
            switch flag {
            case "--redis": redisURL = value
            case "--breaker": breaker = value
            case "--threshold": threshold = try number()
            case "--break-ms": breakMilliseconds = try number()
            case "--permits": permits = try number()
            case "--flush-ms": flushMilliseconds = try number()
            case "--command-timeout-ms": commandTimeoutMilliseconds = try number()
            case "--instance": instanceID = value
            case "--prefix": keyPrefix = value
            case "--first-wait-ms": firstStateWaitMilliseconds = try number()
            case "--scope":
                if value == "shared" {
                    scope = .shared
                } else if value == "local" {
                    scope = .local
                } else if value.hasPrefix("quorum:"), let count = Int(value.dropFirst(7)), count > 0 {
                    scope = .quorum(instances: count)
                } else {
                    throw Invalid(description: "--scope must be shared, local or quorum:K, got '\(value)'")
                }
            default:
                throw Invalid(description: "unknown argument \(flag)")
            }
        }
    }
}
