import HTTPTypes

extension HTTPField.Name {
    /// `X-Correlation-ID`: read from requests, echoed on every response.
    static let correlationID = HTTPField.Name("X-Correlation-ID")!
}
