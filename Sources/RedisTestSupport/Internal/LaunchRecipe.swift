/// What ``ManagedInstance`` needs to launch one kind of Redis process.
struct LaunchRecipe: Sendable {
    /// A name for messages, such as `redis-server`.
    var displayName: String
    /// The absolute path of the executable.
    var executable: String
    /// The log file's name inside the scratch directory, as the arguments configure it.
    var logFileName: String
    /// A line the process logs once it listens, which tells our process from another one on the same port.
    var readyMarker: String
    /// Whether a `-NOAUTH` reply to `PING` means the process is up.
    var requiresAuthentication: Bool
    /// How long a launch may take to answer `PING`.
    var startTimeout: Duration
    /// How long to wait after `SIGTERM` before `SIGKILL`.
    var stopTimeout: Duration
    /// The arguments of a launch on `port`; `isRestart` is `true` when the port was used before.
    var arguments: @Sendable (_ port: Int, _ isRestart: Bool) throws -> [String]
}
