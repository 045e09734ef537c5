import Foundation
import Hummingbird
import Logging
import OperatorViews
import SharedState

/// `GET /api/v1/cache?key=K` and `POST /api/v1/cache/invalidate` with `{"keys":[…]}`, `{"prefix":"…"}` or
/// `{"tag":"…"}`. Invalidations reach every instance's in-process tier over pub/sub.
struct CacheRoutes {
    let components: ServiceComponents

    func register(on routes: RouteRegistrar) {
        routes.read("api/v1/cache") { request, _ in
            let key = try request.requiredQuery("key")
            // Read without sliding the entry's expiry: looking at an entry must not keep it alive.
            guard let entry = try await components.cache.inspect(key) else {
                throw APIError(.notFound, "no cache entry for this key", details: ["key": .string(key)])
            }
            return JSONBody(CacheEntryView(entry)).response(status: .ok)
        }
        routes.change("api/v1/cache/invalidate") { request, context in
            let body = try await request.decodeBody(as: InvalidationRequest.self, context: context)
            let invalidated: Int
            switch try body.target() {
            case .keys(let keys): invalidated = try await components.cache.invalidate(keys: keys)
            case .prefix(let prefix): invalidated = try await components.cache.invalidate(prefix: prefix)
            case .tag(let tag): invalidated = try await components.cache.invalidate(tag: tag)
            }
            context.logger.notice("operator invalidated cache entries", metadata: ["cache.invalidated": "\(invalidated)"])
            return JSONBody(["invalidated": invalidated]).response(status: .ok)
        }
    }
}

/// One cache entry as Redis holds it: the value as text when it is UTF-8, else base64; how long it stays
/// fresh and how long Redis keeps it (both in milliseconds, 0 once passed); its tags; whether reads slide it.
struct CacheEntryView: Encodable {
    let key: String
    let size: Int
    let encoding: String
    let value: String
    let freshForMilliseconds: Int64
    let expiresInMilliseconds: Int64
    let tags: [String]
    let sliding: Bool

    init(_ entry: SharedCacheEntry) {
        key = entry.key
        size = entry.bytes.count
        let displayed = DisplayedBytes(entry.bytes)
        encoding = displayed.encoding
        value = displayed.text
        freshForMilliseconds = max(0, Int64(entry.freshFor / .milliseconds(1)))
        expiresInMilliseconds = max(0, Int64(entry.expiresIn / .milliseconds(1)))
        tags = entry.tags
        sliding = entry.sliding
    }
}

/// The body of `POST /api/v1/cache/invalidate`: exactly one of `keys`, `prefix`, `tag`.
struct InvalidationRequest: Decodable {
    let keys: [String]?
    let prefix: String?
    let tag: String?

    enum Target {
        case keys([String])
        case prefix(String)
        case tag(String)
    }

    func target() throws(APIError) -> Target {
        switch (keys, prefix, tag) {
        case (let keys?, nil, nil):
            guard !keys.isEmpty, keys.count <= 1_000 else { throw APIError(.validation, "'keys' must list 1 to 1000 keys") }
            return .keys(keys)
        case (nil, let prefix?, nil):
            guard !prefix.isEmpty else { throw APIError(.validation, "'prefix' must not be empty: it would match every entry") }
            return .prefix(prefix)
        case (nil, nil, let tag?):
            return .tag(tag)
        default:
            throw APIError(.validation, "give exactly one of 'keys', 'prefix' or 'tag'")
        }
    }
}
