import Foundation

/// Free disk space and resident memory of this process, read from the kernel.
enum SystemResources {
    /// Bytes available to unprivileged users on the file system holding `path`, or nil if it cannot be read.
    static func freeDiskBytes(at path: String) -> UInt64? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        return UInt64(stats.f_bavail) * UInt64(stats.f_frsize)
    }

    /// This process's resident set size in bytes (`/proc/self/statm`), or nil where there is no procfs.
    static func residentMemoryBytes() -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = UInt64(fields[1]) else { return nil }
        return pages * UInt64(sysconf(Int32(_SC_PAGESIZE)))
    }
}
