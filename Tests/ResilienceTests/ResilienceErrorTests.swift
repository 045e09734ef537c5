import Resilience
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct ResilienceErrorTests {
    @Test(arguments: [
        (401, ResilienceError.Code.authentication), (403, .permission), (404, .notFound), (410, .notFound), (408, .timeout),
        (409, .conflict), (422, .badRequest), (429, .rateLimited), (500, .serverError), (502, .unavailable), (503, .unavailable),
        (504, .timeout), (599, .serverError),
    ])
    func classifiesHTTPStatus(status: Int, code: ResilienceError.Code) {
        #expect(ResilienceError.Code(httpStatus: status) == code)
    }

    @Test func successStatusesAreNotFailures() {
        #expect(ResilienceError.Code(httpStatus: 200) == nil)
        #expect(ResilienceError.Code(httpStatus: 304) == nil)
    }

    @Test func classifiesErrno() {
        #expect(ResilienceError.Code(errno: ETIMEDOUT) == .timeout)
        #expect(ResilienceError.Code(errno: ECONNREFUSED) == .connection)
        #expect(ResilienceError.Code(errno: ECONNRESET) == .connection)
        #expect(ResilienceError.Code(errno: EAGAIN) == .unavailable)
        #expect(ResilienceError.Code(errno: EACCES) == .permission)
        #expect(ResilienceError.Code(errno: ECANCELED) == .cancelled)
        #expect(ResilienceError.Code(errno: 0) == nil)
    }

    @Test func classifiesTypedErrorsNeverByText() {
        struct Opaque: Error, CustomStringConvertible { var description: String { "timeout connection refused 503" } }
        #expect(ResilienceError.Code(classifying: Opaque()) == .unknown)
        #expect(ResilienceError.Code(classifying: CancellationError()) == .cancelled)
        #expect(ResilienceError.Code(classifying: TestFailure(.conflict)) == .conflict)
        #expect(ResilienceError.Code(classifying: ResilienceError(.breakerOpen)) == .breakerOpen)
    }

    @Test func wrapsAndKeepsRetryAfter() {
        let wrapped = ResilienceError(classifying: TestFailure(.rateLimited, retryAfter: .seconds(7)))
        #expect(wrapped.code == .rateLimited)
        #expect(wrapped.retryAfter == .seconds(7))
        #expect(wrapped.underlying is TestFailure)
        #expect(ResilienceError.retryAfter(of: TestFailure(.rateLimited, retryAfter: .seconds(2))) == .seconds(2))
        #expect(ResilienceError.retryAfter(of: CancellationError()) == nil)
    }

    @Test func dependencyFailureKinds() {
        let failures = Set(ResilienceError.Code.allCases.filter(\.isDependencyFailure))
        #expect(failures == [.timeout, .connection, .rateLimited, .serverError, .unavailable, .unknown])
        #expect(failures == ResilienceError.Code.dependencyFailures)
        #expect(ResilienceError.Code.allCases.count == 14)
        #expect(ResilienceError.Code.rateLimited.description == "rate-limited")
    }
}
