import Foundation

extension RedisServerProcess {
    static let logFileName = "redis.log"

    /// A recipe without arguments yet; ``LaunchRecipe`` arguments need the scratch directory.
    static func makeRecipe(_ options: RedisServerOptions) throws -> RecipeDraft {
        if let replicaOf = options.replicaOf, !(1...65535).contains(replicaOf.port) {
            throw RedisTestSupportError(.invalidOptions, message: "replicaOf.port \(replicaOf.port) is not a TCP port")
        }
        if let user = options.aclUser, user.name.isEmpty || user.name.contains(where: \.isWhitespace) || user.name == "default" {
            throw RedisTestSupportError(.invalidOptions, message: "aclUser.name \"\(user.name)\" must be a non-empty word other than default")
        }
        if options.unixSocketPath?.isEmpty == true {
            throw RedisTestSupportError(.invalidOptions, message: "unixSocketPath is empty")
        }
        guard options.startTimeout > .zero, options.stopTimeout > .zero else {
            throw RedisTestSupportError(.invalidOptions, message: "startTimeout and stopTimeout must be positive")
        }
        return RecipeDraft(options: options, executable: try ExecutableLocator.locate(options.executable))
    }

    /// The options and the located executable, waiting for a scratch directory.
    struct RecipeDraft: Sendable {
        var options: RedisServerOptions
        var executable: String

        func withArguments(scratch: ScratchDirectory) -> LaunchRecipe {
            let options = options
            return LaunchRecipe(
                displayName: "redis-server",
                executable: executable,
                logFileName: RedisServerProcess.logFileName,
                readyMarker: "Ready to accept connections",
                requiresAuthentication: options.password != nil,
                startTimeout: options.startTimeout,
                stopTimeout: options.stopTimeout,
                arguments: { port, _ in RedisServerProcess.arguments(options, port: port, scratch: scratch) }
            )
        }
    }

    /// The command line: the fixture's settings first, then ``RedisServerOptions/extraArguments``.
    static func arguments(_ options: RedisServerOptions, port: Int, scratch: ScratchDirectory) -> [String] {
        var arguments = [
            "--port", String(port),
            "--bind", ManagedInstance.host,
            "--daemonize", "no",
            "--save", "",
            "--appendonly", "no",
            "--dir", scratch.path,
            "--logfile", scratch.file(logFileName),
            "--loglevel", "notice",
            // Replicas sync at once instead of after the default 5 s wait for more replicas.
            "--repl-diskless-sync-delay", "0",
        ]
        if let password = options.password {
            arguments += ["--requirepass", password]
        }
        if let user = options.aclUser {
            arguments += ["--user", user.name, "on", ">" + user.password, "~*", "&*", "+@all"]
        }
        if let path = options.unixSocketPath {
            arguments += ["--unixsocket", resolve(path, in: scratch), "--unixsocketperm", "700"]
        }
        if let primary = options.replicaOf {
            arguments += ["--replicaof", primary.host, String(primary.port)]
        }
        if let primaryPassword = options.primaryPassword {
            arguments += ["--masterauth", primaryPassword]
        }
        return arguments + options.extraArguments
    }

    /// `path` itself if absolute, else inside the scratch directory.
    static func resolve(_ path: String, in scratch: ScratchDirectory) -> String {
        path.hasPrefix("/") ? path : scratch.file(path)
    }

    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
