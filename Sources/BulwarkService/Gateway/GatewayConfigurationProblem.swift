/// What is wrong with one value of the gateway's configuration; the caller adds the route and the key.
struct GatewayConfigurationProblem: Error {
    let message: String

    init(_ message: String) {
        self.message = message
    }
}
