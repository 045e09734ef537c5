import Foundation

/// A network namespace of its own for one test process, joined to the host by a veth pair, whose link can be
/// delayed and cut with `tc netem`: a real partition of one instance from Redis while the others keep it.
///
/// Needs root (CI runs as root); ``canCreate`` says whether this machine allows it.
final class NetworkPartition: Sendable {
    /// The namespace's name.
    let namespace: String
    /// The host end's address, on which Redis must listen too.
    let hostAddress: String
    private let hostLink: String
    private let namespaceLink: String

    /// Whether network namespaces can be created here (root, iproute2).
    static let canCreate: Bool = {
        let probe = "bwkprobe\(getpid())"
        guard (try? run(["ip", "netns", "add", probe])) != nil else { return false }
        _ = try? run(["ip", "netns", "del", probe])
        return true
    }()

    /// Creates the namespace and the veth pair (`10.231.<n>.1` on the host, `.2` inside), with `delay` on both ends.
    init(delay: Duration) throws {
        let tag = Int(getpid() % 200) + 20
        namespace = "bwk\(getpid())"
        hostLink = "bwkh\(getpid() % 100_000)"
        namespaceLink = "bwkn\(getpid() % 100_000)"
        hostAddress = "10.231.\(tag).1"
        let delayMs = "\(Int(delay.components.seconds) * 1_000 + Int(delay.components.attoseconds / 1_000_000_000_000_000))ms"
        self.delayMs = delayMs
        try Self.run(["ip", "netns", "add", namespace])
        do {
            try Self.run(["ip", "link", "add", hostLink, "type", "veth", "peer", "name", namespaceLink])
            try Self.run(["ip", "link", "set", namespaceLink, "netns", namespace])
            try Self.run(["ip", "addr", "add", "\(hostAddress)/30", "dev", hostLink])
            try Self.run(["ip", "link", "set", hostLink, "up"])
            try Self.inside(namespace, ["ip", "addr", "add", "10.231.\(tag).2/30", "dev", namespaceLink])
            try Self.inside(namespace, ["ip", "link", "set", namespaceLink, "up"])
            try Self.inside(namespace, ["ip", "link", "set", "lo", "up"])
        } catch {
            Self.remove(namespace: namespace, hostLink: hostLink)
            throw error
        }
        // A kernel without sch_netem still partitions, by taking the link down: said once, not hidden.
        do {
            try Self.run(["tc", "qdisc", "add", "dev", hostLink, "root", "netem", "delay", delayMs])
            try Self.inside(namespace, ["tc", "qdisc", "add", "dev", namespaceLink, "root", "netem", "delay", delayMs])
            usesNetem = true
        } catch {
            print("network partition: tc netem unavailable here (\(error)); cutting by taking the veth link down instead")
            usesNetem = false
        }
    }

    private let delayMs: String
    /// Whether the link is delayed and cut with `tc netem` (else cut by taking it down).
    let usesNetem: Bool

    /// Drops every packet both ways: the namespace loses the host (and Redis).
    func cut() throws {
        if usesNetem {
            try Self.run(["tc", "qdisc", "change", "dev", hostLink, "root", "netem", "delay", delayMs, "loss", "100%"])
            try Self.inside(namespace, ["tc", "qdisc", "change", "dev", namespaceLink, "root", "netem", "delay", delayMs, "loss", "100%"])
        } else {
            try Self.run(["ip", "link", "set", hostLink, "down"])
        }
    }

    /// Lets packets through again (with the delay).
    func heal() throws {
        if usesNetem {
            try Self.run(["tc", "qdisc", "change", "dev", hostLink, "root", "netem", "delay", delayMs])
            try Self.inside(namespace, ["tc", "qdisc", "change", "dev", namespaceLink, "root", "netem", "delay", delayMs])
        } else {
            try Self.run(["ip", "link", "set", hostLink, "up"])
        }
    }

    /// The command line that runs `arguments` inside the namespace.
    func command(_ arguments: [String]) -> (executable: URL, arguments: [String]) {
        (Self.ipExecutable, ["netns", "exec", namespace] + arguments)
    }

    /// Deletes the namespace (and with it the veth pair).
    func remove() {
        Self.remove(namespace: namespace, hostLink: hostLink)
    }

    private static func remove(namespace: String, hostLink: String) {
        _ = try? run(["ip", "netns", "del", namespace])
        _ = try? run(["ip", "link", "del", hostLink])
    }

    private static let ipExecutable: URL = {
        for path in ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"] where FileManager.default.isExecutableFile(atPath: path) {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: "/usr/sbin/ip")
    }()

    private static func inside(_ namespace: String, _ arguments: [String]) throws {
        try run(["ip", "netns", "exec", namespace] + arguments)
    }

    /// Runs a command to its end; throws when it fails.
    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw PartitionFailure(description: "\(arguments.joined(separator: " ")) failed: \(text)")
        }
        return text
    }
}

/// A namespace command failed.
struct PartitionFailure: Error, CustomStringConvertible {
    let description: String
}
