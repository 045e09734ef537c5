import BulwarkHummingbird
import Hummingbird
import NIOCore

/// The request context of the test apps: correlation id, session and client address, as an app's would be.
struct TestContext: CorrelatedRequestContext, SessionRequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    var correlationID = ""
    var session = RequestSession()
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
