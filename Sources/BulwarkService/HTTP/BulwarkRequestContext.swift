import Foundation
import Hummingbird

/// The context of every request the service answers: Hummingbird's core plus the correlation id.
public struct BulwarkRequestContext: CorrelatedRequestContext {
    /// Hummingbird's per-request storage (logger, parameters, allocator).
    public var coreContext: CoreRequestContextStorage
    /// The request's correlation id: from `X-Correlation-ID` when valid, generated otherwise.
    public var correlationID: String = ""
    /// The client's IP address as the socket sees it (a proxy's, behind one), or `unknown`; failed admin
    /// authentications are counted per address.
    public let clientAddress: String

    /// Creates the context for one request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// JSON with ISO 8601 dates and sorted keys, so that answers are stable to read and to diff.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// Admin bodies are small; anything larger is refused before it is decoded.
    public var maxUploadSize: Int { 64 * 1024 }
}
