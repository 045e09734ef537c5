import ArgumentParser
import OperatorViews
import SharedState

extension CacheCommand {
    /// `bulwark cache get KEY`.
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the entry Redis holds for a key: value, freshness, expiry and tags. Nothing is changed.",
            discussion: "Example: bulwark cache get user:42 --json"
        )

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The cache key.")
        var key: String

        func run() async throws {
            try await OperatorRun.perform(options) { context in
                guard let entry = try await context.cache().inspect(key) else {
                    throw OperatorError(.notFound, "no cache entry for key '\(key)'")
                }
                try CacheEntryView(entry).emit(json: context.json)
            }
        }
    }
}

/// `bulwark cache get`'s output.
struct CacheEntryView: CommandOutput {
    /// The key.
    let key: String
    /// The value's size in bytes.
    let size: Int
    /// `utf8` or `base64`.
    let encoding: String
    /// The value as text.
    let value: String
    /// Whether the value is fresh (else it is kept only as a fail-safe).
    let fresh: Bool
    /// Freshness left in seconds; negative when stale.
    let freshForSeconds: Double
    /// Seconds until Redis drops it.
    let expiresInSeconds: Double
    /// Its tags.
    let tags: [String]
    /// Whether reads extend it.
    let sliding: Bool

    init(_ entry: SharedCacheEntry) {
        key = entry.key
        size = entry.bytes.count
        let displayed = DisplayedBytes(entry.bytes)
        encoding = displayed.encoding
        value = displayed.text
        fresh = entry.isFresh
        freshForSeconds = HumanFormat.seconds(entry.freshFor)
        expiresInSeconds = HumanFormat.seconds(entry.expiresIn)
        tags = entry.tags
        sliding = entry.sliding
    }

    var humanText: String {
        let freshness = fresh ? "fresh for \(HumanFormat.duration(.milliseconds(Int64(freshForSeconds * 1_000))))" : "stale (fail-safe copy)"
        let lines = [
            ("key", key),
            ("value", encoding == "utf8" ? value : "\(value) (base64)"),
            ("size", "\(size) bytes"),
            ("freshness", freshness + (sliding ? ", sliding" : "")),
            ("expires in", HumanFormat.duration(.milliseconds(Int64(expiresInSeconds * 1_000)))),
            ("tags", tags.isEmpty ? "-" : tags.joined(separator: " ")),
        ]
        return lines.map { $0.0 + String(repeating: " ", count: 12 - $0.0.count) + $0.1 }.joined(separator: "\n")
    }
}
