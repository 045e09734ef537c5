import BulwarkHummingbird
import Foundation
import Hummingbird
import NIOCore

/// The request context of the orders app: what Bulwark's middleware needs (correlation id, session, client
/// address) on top of Hummingbird's.
public struct OrdersContext: CorrelatedRequestContext, SessionRequestContext, RemoteAddressRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The request's correlation id, set by `CorrelationMiddleware`.
    public var correlationID = ""
    /// The request's session, set by `SessionMiddleware`.
    public var session = RequestSession()
    /// The client's address, which the rate limit counts by.
    public let remoteAddress: SocketAddress?

    /// Creates the context of one request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// JSON with sorted keys, so that the same value always reads the same, whichever instance answers.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// Order bodies are small.
    public var maxUploadSize: Int { 16 * 1024 }
}
