import HTTPTypes
import NIOHTTP1

/// The header rules of the gateway: what is forwarded each way, and the bounds on what a caller sends.
enum GatewayHeaders {
    /// The most header fields a request may carry.
    static let maxFields = 100
    /// The most bytes (names and values) a request's header fields may hold.
    static let maxBytes = 32 * 1024

    /// Hop-by-hop fields (RFC 9110 §7.6.1) and those the gateway sets itself: never forwarded either way.
    static let dropped: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "host", "content-length",
    ]

    /// Why the request's fields are refused, or `nil` when they are within bounds.
    static func refusal(_ fields: HTTPFields) -> String? {
        guard fields.count <= maxFields else { return "the request has more than \(maxFields) header fields" }
        let bytes = fields.reduce(0) { $0 + $1.name.canonicalName.utf8.count + $1.value.utf8.count }
        guard bytes <= maxBytes else { return "the request's header fields are larger than \(maxBytes) bytes" }
        return nil
    }

    /// The fields sent upstream: the caller's end-to-end fields, `X-Forwarded-For` with the caller's address
    /// appended, `X-Forwarded-Proto`, `X-Forwarded-Host` and the request's correlation id. A caller's own
    /// `Forwarded` (RFC 7239) is dropped: only the gateway speaks for the hop.
    static func upstream(
        from fields: HTTPFields,
        clientAddress: String,
        host: String?,
        correlationID: String
    ) -> HTTPHeaders {
        let named = namedInConnection(fields)
        var headers = HTTPHeaders()
        var forwardedFor: [String] = []
        for field in fields {
            let name = field.name.canonicalName
            if dropped.contains(name) || named.contains(name) || name == "x-correlation-id" || name == "forwarded" || name.hasPrefix("x-forwarded-") {
                if name == "x-forwarded-for" { forwardedFor.append(field.value) }
                continue
            }
            headers.add(name: field.name.rawName, value: field.value)
        }
        headers.add(name: "X-Forwarded-For", value: (forwardedFor + [clientAddress]).joined(separator: ", "))
        headers.add(name: "X-Forwarded-Proto", value: "http")
        if let host { headers.add(name: "X-Forwarded-Host", value: host) }
        headers.add(name: "X-Correlation-ID", value: correlationID)
        return headers
    }

    /// The upstream's fields relayed to the caller: all but the hop-by-hop ones (the server sets the length).
    static func downstream(from headers: HTTPHeaders) -> HTTPFields {
        let named = Set(headers["connection"].flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces.lowercased() })
        var fields = HTTPFields()
        for (name, value) in headers {
            let lowered = name.lowercased()
            guard !dropped.contains(lowered), !named.contains(lowered), lowered != "x-correlation-id",
                let fieldName = HTTPField.Name(name)
            else { continue }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        return fields
    }

    /// The field names a `Connection` header lists: hop-by-hop too.
    private static func namedInConnection(_ fields: HTTPFields) -> Set<String> {
        Set(fields[values: .connection].flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces.lowercased() })
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
