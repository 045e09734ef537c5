import HTTPTypes
import Hummingbird
import NIOCore

/// A response as the idempotency store keeps it: status, the replayed headers and the body, in a small
/// versioned binary form (version 1: status u16, header count u8, each name u8 length + bytes and value u16
/// length + bytes, then the body).
struct StoredResponse: Sendable, Equatable {
    /// The largest body the form holds (and the largest limit a configuration may name): 16 MiB.
    static let maximumBodySize = 16 << 20
    /// The most headers the form holds.
    static let maximumHeaders = 32

    private static let version: UInt8 = 1

    var status: Int
    var headers: [(name: String, value: String)]
    var body: ByteBuffer

    static func == (lhs: StoredResponse, rhs: StoredResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.map { "\($0.name):\($0.value)" } == rhs.headers.map { "\($0.name):\($0.value)" }
    }

    /// The stored form of `response`, whose body is already collected into `body`.
    init(response: Response, body: ByteBuffer, replayedHeaders: [HTTPField.Name]) {
        status = response.status.code
        headers = replayedHeaders.flatMap { name in
            response.headers[values: name].filter { $0.utf8.count <= Int(UInt16.max) }.map { (name: name.canonicalName, value: $0) }
        }.prefix(Self.maximumHeaders).map { $0 }
        self.body = body
    }

    /// Decodes the stored form.
    /// - Throws: ``Malformed`` when the bytes are not a version-1 stored response.
    init(decoding bytes: [UInt8]) throws(Malformed) {
        var buffer = ByteBuffer(bytes: bytes)
        guard buffer.readInteger(as: UInt8.self) == Self.version,
            let status = buffer.readInteger(as: UInt16.self), (100...599).contains(status),
            let count = buffer.readInteger(as: UInt8.self), Int(count) <= Self.maximumHeaders
        else { throw Malformed() }
        var headers: [(name: String, value: String)] = []
        for _ in 0..<count {
            guard let nameLength = buffer.readInteger(as: UInt8.self),
                let name = buffer.readString(length: Int(nameLength)), HTTPField.Name(name) != nil,
                let valueLength = buffer.readInteger(as: UInt16.self),
                let value = buffer.readString(length: Int(valueLength)), HTTPField.isValidValue(value)
            else { throw Malformed() }
            headers.append((name, value))
        }
        self.status = Int(status)
        self.headers = headers
        body = buffer
    }

    /// The stored form.
    var encoded: [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeInteger(Self.version)
        buffer.writeInteger(UInt16(status))
        buffer.writeInteger(UInt8(headers.count))
        for header in headers {
            let name = Array(header.name.utf8.prefix(Int(UInt8.max)))
            buffer.writeInteger(UInt8(name.count))
            buffer.writeBytes(name)
            buffer.writeInteger(UInt16(header.value.utf8.count))
            buffer.writeString(header.value)
        }
        buffer.writeImmutableBuffer(body)
        return Array(buffer.readableBytesView)
    }

    /// The response to replay, marked `Idempotent-Replayed: true`.
    var replay: Response {
        var fields = HTTPFields()
        for header in headers {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        fields[.idempotentReplayed] = "true"
        return Response(status: HTTPResponse.Status(code: status), headers: fields, body: ResponseBody(byteBuffer: body))
    }

    /// The stored bytes are not a stored response (another version, or damaged).
    struct Malformed: Error {}
}
