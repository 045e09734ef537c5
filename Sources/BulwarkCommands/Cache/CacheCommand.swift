import ArgumentParser

/// `bulwark cache`: the shared cache and every instance's in-process tier.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Inspect cache entries and invalidate them in Redis and in every instance's in-process tier.",
        discussion: "Example: bulwark cache invalidate --prefix catalog: --yes",
        subcommands: [Get.self, Invalidate.self]
    )
}
