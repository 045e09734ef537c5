import ArgumentParser
import SharedState

extension CacheCommand {
    /// `bulwark cache invalidate KEY… | --prefix P | --tag T`.
    struct Invalidate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove entries from Redis and from every instance's in-process tier, by keys, prefix or tag.",
            discussion: """
                Invalidation by prefix counts the entries first and asks before it removes them; --yes skips the \
                question, and without a terminal it is required.
                Example: bulwark cache invalidate user:42 user:43
                Example: bulwark cache invalidate --prefix catalog: --yes
                Example: bulwark cache invalidate --tag users
                """
        )

        @OptionGroup var options: GlobalOptions

        @Argument(help: "Keys to invalidate.")
        var keys: [String] = []

        @Option(help: "Invalidate every key that starts with this prefix.")
        var prefix: String?

        @Option(help: "Invalidate every key filed under this tag.")
        var tag: String?

        @Flag(help: "Do not ask for confirmation (required without a terminal for --prefix).")
        var yes = false

        func run() async throws {
            try await OperatorRun.perform(options) { context in
                let cache = try context.cache()
                switch (keys.isEmpty, prefix, tag) {
                case (false, nil, nil):
                    // Validate every key before anything is removed.
                    for key in keys { _ = try CacheKey(key) }
                    let removed = try await cache.invalidate(keys: keys)
                    try CacheInvalidation(invalidated: removed, keys: keys).emit(json: context.json)
                case (true, let prefix?, nil):
                    guard !prefix.isEmpty else {
                        throw OperatorError(.usage, "--prefix must not be empty: it would match every cache entry")
                    }
                    let count = try await cache.count(prefix: prefix)
                    if count > 0 {
                        try await Confirmation.require("invalidate \(count) cache entries under prefix '\(prefix)'", assumeYes: yes)
                    }
                    let progress = ProgressReport("invalidating", total: count)
                    let removed = try await cache.invalidate(prefix: prefix) { progress.update($0) }
                    progress.finish()
                    try CacheInvalidation(invalidated: removed, prefix: prefix).emit(json: context.json)
                case (true, nil, let tag?):
                    let removed = try await cache.invalidate(tag: tag)
                    try CacheInvalidation(invalidated: removed, tag: tag).emit(json: context.json)
                default:
                    throw OperatorError(.usage, "give keys, --prefix P or --tag T, exactly one of them")
                }
            }
        }
    }
}

/// What `bulwark cache invalidate` prints: how many values Redis held, and what was targeted.
struct CacheInvalidation: CommandOutput {
    /// How many values were removed from Redis.
    let invalidated: Int
    /// The keys, when invalidated by key.
    var keys: [String]?
    /// The prefix, when invalidated by prefix.
    var prefix: String?
    /// The tag, when invalidated by tag.
    var tag: String?

    var humanText: String {
        "Invalidated \(invalidated) entries in Redis for \(target); every instance drops its in-process copies."
    }

    private var target: String {
        if let keys { return keys.count == 1 ? "key '\(keys[0])'" : "\(keys.count) keys" }
        if let prefix { return "prefix '\(prefix)'" }
        return "tag '\(tag ?? "")'"
    }
}
