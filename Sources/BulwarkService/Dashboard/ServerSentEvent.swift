import Foundation
import Hummingbird

/// One message of a `text/event-stream` response: a named event whose data is one line of JSON, or a
/// comment that only keeps the connection alive.
struct ServerSentEvent: Sendable, Equatable {
    /// The event's wire form, ending with the blank line that dispatches it.
    let text: String

    /// An event named `name` whose data is `value` as JSON on one line.
    init(_ name: String, _ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        // The dashboard's values are plain strings, numbers and dates, which always encode; JSONEncoder
        // escapes line breaks inside strings, so the data is one line.
        let json = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        text = "event: \(name)\ndata: \(json)\n\n"
    }

    private init(text: String) {
        self.text = text
    }

    /// A comment line, which clients ignore and proxies see as traffic.
    static let heartbeat = ServerSentEvent(text: ": heartbeat\n\n")

    /// Asks the browser to wait this long before reconnecting after the stream ends.
    static func retry(milliseconds: Int) -> ServerSentEvent { ServerSentEvent(text: "retry: \(milliseconds)\n\n") }

    /// The bytes to write.
    var buffer: ByteBuffer { ByteBuffer(string: text) }
}
