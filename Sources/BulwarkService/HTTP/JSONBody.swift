import Foundation
import Hummingbird

/// A JSON response body with ISO 8601 dates and sorted keys.
struct JSONBody<Value: Encodable> {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }

    /// The response with `status` and `Content-Type: application/json`.
    func response(status: HTTPResponse.Status) -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        // Every value encoded here is built from plain strings, numbers and dates, which always encode.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
