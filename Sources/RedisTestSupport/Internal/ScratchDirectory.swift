import Foundation

/// A temporary directory that one process fixture owns, with its log and configuration.
struct ScratchDirectory: Sendable {
    /// The directory's absolute path.
    let path: String

    /// Creates a fresh directory under the system's temporary directory, named after `prefix`.
    static func create(prefix: String) throws(RedisTestSupportError) -> ScratchDirectory {
        // Short names keep Unix socket paths inside this directory under the ~100-byte limit.
        let base = FileManager.default.temporaryDirectory.path
        let name = "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
        let path = (base.hasSuffix("/") ? base : base + "/") + name
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw RedisTestSupportError(.spawnFailed, message: "cannot create \(path)", underlying: error)
        }
        return ScratchDirectory(path: path)
    }

    /// The absolute path of `name` inside the directory.
    func file(_ name: String) -> String {
        path + "/" + name
    }

    /// The size of a file in bytes, or 0 if it does not exist.
    func size(of name: String) -> UInt64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: file(name))
        return (attributes?[.size] as? NSNumber)?.uint64Value ?? 0
    }

    /// The text of a file from byte `offset` on, or an empty string if it cannot be read.
    func text(of name: String, from offset: UInt64 = 0) -> String {
        guard let handle = FileHandle(forReadingAtPath: file(name)) else { return "" }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: offset)
            return String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        } catch {
            return ""
        }
    }

    /// The last `lines` lines of a file's text from `offset` on.
    func tail(of name: String, from offset: UInt64 = 0, lines: Int = 20) -> String {
        text(of: name, from: offset).split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// Writes `text` to a file, replacing it.
    func write(_ text: String, to name: String) throws(RedisTestSupportError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
        } catch {
            throw RedisTestSupportError(.spawnFailed, message: "cannot write \(file(name))", underlying: error)
        }
    }

    /// Removes the directory and everything in it, ignoring errors.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
