import HTTPTypes

extension HTTPField.Name {
    /// `Referrer-Policy`: the dashboard sends no referrer anywhere.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    /// `X-Accel-Buffering`: `no` asks proxies such as nginx to pass server-sent events on at once.
    static let xAccelBuffering = HTTPField.Name("X-Accel-Buffering")!
}
