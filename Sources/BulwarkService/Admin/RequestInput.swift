import Foundation
import Hummingbird

/// Reading and validating what a request carries, with 400 answers that say what is wrong.
extension Request {
    /// The query parameter `name`, which must be present and non-empty.
    func requiredQuery(_ name: String) throws(APIError) -> String {
        guard let value = uri.queryParameters[Substring(name)].map(String.init), !value.isEmpty else {
            throw APIError(.validation, "the query parameter '\(name)' is required", details: ["parameter": .string(name)])
        }
        return value
    }

    /// The query parameter `name`, if present.
    func optionalQuery(_ name: String) -> String? {
        uri.queryParameters[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The body decoded as `type`, or 400 naming what did not fit.
    func decodeBody<Body: Decodable>(as type: Body.Type, context: BulwarkRequestContext) async throws -> Body {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: context.maxUploadSize)
        } catch {
            throw APIError(.payloadTooLarge, "the request body is larger than \(context.maxUploadSize) bytes")
        }
        guard buffer.readableBytes > 0 else { throw APIError(.validation, "this endpoint needs a JSON body") }
        do {
            return try JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIError(.validation, "the JSON body does not fit this endpoint: \(Self.describe(error))")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "missing field '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case .dataCorrupted: "not valid JSON"
        @unknown default: "not valid JSON"
        }
    }
}

extension BulwarkRequestContext {
    /// The path parameter `name` (always present when the route matched).
    func pathParameter(_ name: String) throws(APIError) -> String {
        guard let value = parameters.get(name) else { throw APIError(.validation, "the path parameter '\(name)' is missing") }
        return value
    }
}
