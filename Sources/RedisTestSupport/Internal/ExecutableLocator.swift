#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds executables such as `redis-server`.
enum ExecutableLocator {
    /// Directories searched after `PATH`.
    static let fallbackDirectories = ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]

    /// The absolute path of `name`: itself if it contains a `/`, else the first match on `PATH` or in the fallbacks.
    ///
    /// - Throws: ``RedisTestSupportError/Code/executableNotFound`` when nothing executable is found.
    static func locate(_ name: String) throws(RedisTestSupportError) -> String {
        if name.contains("/") {
            if access(name, X_OK) == 0 { return name }
        } else {
            let path = getenv("PATH").map { String(cString: $0) } ?? ""
            let directories = path.split(separator: ":").map(String.init) + fallbackDirectories
            for directory in directories where !directory.isEmpty {
                let candidate = directory + "/" + name
                if access(candidate, X_OK) == 0 { return candidate }
            }
        }
        throw RedisTestSupportError(.executableNotFound, message: "\(name) is not installed (searched PATH and \(fallbackDirectories))")
    }
}
