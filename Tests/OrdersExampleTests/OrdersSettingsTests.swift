import OrdersExample
import Testing

/// `orders-example`'s environment is checked before anything starts: a missing or malformed setting is refused,
/// naming it and what is wrong, never repeating its value.
@Suite struct OrdersSettingsTests {
    @Test func aGoodEnvironmentIsReadWithItsDefaults() throws {
        let settings = try OrdersSettings(environment: ["PAYMENTS_URL": "http://127.0.0.1:9090/v1/"])
        #expect(settings.paymentsURL.base == "http://127.0.0.1:9090/v1")
        #expect(settings.redisURL == "redis://127.0.0.1:6379")
        #expect(settings.keyPrefix == "bulwark")
        #expect(settings.port == 8080)
        #expect(settings.instance == "orders")
    }

    @Test(arguments: [
        ([:], "PAYMENTS_URL", "missing"),
        (["PAYMENTS_URL": ""], "PAYMENTS_URL", "is empty"),
        (["PAYMENTS_URL": "payments.internal:9090"], "PAYMENTS_URL", "absolute"),
        (["PAYMENTS_URL": "ftp://payments.internal"], "PAYMENTS_URL", "the scheme must be http or https"),
        (["PAYMENTS_URL": "http://:9090"], "PAYMENTS_URL", "the host is empty"),
        (["PAYMENTS_URL": "http://payments.internal:99999"], "PAYMENTS_URL", "the port must be a number from 1 to 65535"),
        (["PAYMENTS_URL": "http://me:hunter2@payments.internal"], "PAYMENTS_URL", "must not carry a user or password"),
        (["PAYMENTS_URL": "http://payments.internal/?token=hunter2"], "PAYMENTS_URL", "must not have a query"),
        (["PAYMENTS_URL": "http://payments.internal/a b"], "PAYMENTS_URL", "without spaces"),
        (["PAYMENTS_URL": "http://payments.internal", "ORDERS_PORT": "eighty"], "ORDERS_PORT", "must be a port number"),
        (["PAYMENTS_URL": "http://payments.internal", "ORDERS_PORT": "70000"], "ORDERS_PORT", "must be a port number"),
    ])
    func aBadSettingIsRefusedNamingIt(environment: [String: String], key: String, problem: String) {
        let refusal: OrdersSettingsError?
        do {
            _ = try OrdersSettings(environment: environment)
            refusal = nil
        } catch {
            refusal = error
        }
        #expect(refusal?.key == key)
        #expect(refusal?.problem.contains(problem) == true, "\(refusal?.problem ?? "accepted")")
        #expect(refusal?.description.contains("hunter2") == false)
    }
}
