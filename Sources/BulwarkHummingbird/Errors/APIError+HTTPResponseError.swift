import Hummingbird

extension APIError: HTTPResponseError {
    /// The status of the error's kind.
    public var status: HTTPResponse.Status { kind.status }

    /// The envelope, for an application without ``CorrelationMiddleware``: the correlation id is the
    /// context's when it has one, else empty, and nothing internal leaves.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let correlationID = (context as? any CorrelatedRequestContext)?.correlationID ?? ""
        return ErrorEnvelope.response(for: self, correlationID: correlationID, exposesInternalErrors: false)
    }
}
