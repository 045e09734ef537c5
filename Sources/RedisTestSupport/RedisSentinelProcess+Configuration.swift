import Foundation

extension RedisSentinelProcess {
    static let configurationFileName = "sentinel.conf"
    static let logFileName = "sentinel.log"

    /// Checks the options, naming the first field that is out of range.
    static func validate(_ options: RedisSentinelOptions) throws {
        func invalid(_ text: String) -> RedisTestSupportError {
            RedisTestSupportError(.invalidOptions, message: text)
        }
        guard !options.masterName.isEmpty, !options.masterName.contains(where: { $0.isWhitespace || $0 == "\"" }) else {
            throw invalid("masterName \"\(options.masterName)\" must be a non-empty word")
        }
        guard !options.master.host.isEmpty, !options.master.host.contains(where: \.isWhitespace) else {
            throw invalid("master.host \"\(options.master.host)\" is not a host")
        }
        guard (1...65535).contains(options.master.port) else { throw invalid("master.port \(options.master.port) is not a TCP port") }
        guard options.quorum >= 1 else { throw invalid("quorum \(options.quorum) must be at least 1") }
        guard options.parallelSyncs >= 1 else { throw invalid("parallelSyncs \(options.parallelSyncs) must be at least 1") }
        guard milliseconds(options.downAfter) >= 1 else { throw invalid("downAfter must be at least 1 ms") }
        guard milliseconds(options.failoverTimeout) >= 1 else { throw invalid("failoverTimeout must be at least 1 ms") }
        guard options.startTimeout > .zero, options.stopTimeout > .zero else {
            throw invalid("startTimeout and stopTimeout must be positive")
        }
    }

    /// The generated `sentinel.conf` for a sentinel on `port`.
    static func configuration(_ options: RedisSentinelOptions, port: Int, scratch: ScratchDirectory) -> String {
        let name = options.masterName
        let master = options.master
        // Hostnames must be allowed before `sentinel monitor` names one; an IPv4 literal needs no resolving.
        let isIPv4Literal = master.host.allSatisfy { $0.isNumber || $0 == "." }
        var lines = [
            "port \(port)",
            "bind \(ManagedInstance.host)",
            "daemonize no",
            "dir \(quoted(scratch.path))",
            "logfile \(quoted(scratch.file(logFileName)))",
            "loglevel notice",
            "sentinel resolve-hostnames \(isIPv4Literal ? "no" : "yes")",
            "sentinel announce-hostnames no",
            "sentinel announce-ip \(ManagedInstance.host)",
            "sentinel announce-port \(port)",
            "sentinel monitor \(name) \(master.host) \(master.port) \(options.quorum)",
            "sentinel down-after-milliseconds \(name) \(milliseconds(options.downAfter))",
            "sentinel failover-timeout \(name) \(milliseconds(options.failoverTimeout))",
            "sentinel parallel-syncs \(name) \(options.parallelSyncs)",
        ]
        if let password = options.masterPassword {
            lines.append("sentinel auth-pass \(name) \(quoted(password))")
        }
        lines += options.extraConfiguration
        return lines.joined(separator: "\n") + "\n"
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        Int((duration / .milliseconds(1)).rounded())
    }

    /// A double-quoted configuration value with `\` and `"` escaped.
    private static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
