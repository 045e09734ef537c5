/// What `orders-example` reads from its environment, checked before anything starts.
///
/// | variable | default |
/// |---|---|
/// | `PAYMENTS_URL` | none: required, the payments provider's base URL (``PaymentsURL``) |
/// | `REDIS_URL` | `redis://127.0.0.1:6379` |
/// | `ORDERS_KEY_PREFIX` | `bulwark`: the prefix of every Redis key of the app and of Bulwark |
/// | `ORDERS_PORT` | `8080`; `0` for a free one |
/// | `ORDERS_INSTANCE` | `orders`: the instance's name |
///
/// `REDIS_URL`, `ORDERS_KEY_PREFIX` and `ORDERS_INSTANCE` are checked by `Bulwark` when it is created, which
/// names the setting at fault too.
public struct OrdersSettings: Sendable {
    /// The payments provider.
    public var paymentsURL: PaymentsURL
    /// The Redis every instance shares.
    public var redisURL: String
    /// The prefix of every Redis key.
    public var keyPrefix: String
    /// The port to listen on; 0 for a free one.
    public var port: Int
    /// The instance's name.
    public var instance: String

    /// Reads the settings from `environment`.
    /// - Parameter environment: The process's environment.
    /// - Throws: ``OrdersSettingsError`` naming the first variable that is missing or malformed.
    public init(environment: [String: String]) throws(OrdersSettingsError) {
        guard let payments = environment["PAYMENTS_URL"] else {
            throw OrdersSettingsError("PAYMENTS_URL", "missing: set it to the payments provider's base URL, such as http://127.0.0.1:9090")
        }
        paymentsURL = try PaymentsURL(payments)
        guard let port = Int(environment["ORDERS_PORT"] ?? "8080"), (0...65_535).contains(port) else {
            throw OrdersSettingsError("ORDERS_PORT", "must be a port number, 0 to 65535")
        }
        self.port = port
        redisURL = environment["REDIS_URL"] ?? "redis://127.0.0.1:6379"
        keyPrefix = environment["ORDERS_KEY_PREFIX"] ?? "bulwark"
        instance = environment["ORDERS_INSTANCE"] ?? "orders"
    }
}
