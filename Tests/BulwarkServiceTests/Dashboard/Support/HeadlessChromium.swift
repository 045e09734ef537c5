import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Chromium run headless and driven over the DevTools protocol through `--remote-debugging-pipe`: the
/// browser reads NUL-terminated JSON commands on fd 3 and writes replies and events on fd 4. No port, no
/// WebSocket: nothing to race for and nothing reachable from outside the test.
///
/// Started with `posix_spawn` (Foundation's `Process` cannot hand a child fds 3 and 4); stopped by its pid.
final class HeadlessChromium: Sendable {
    /// Where Debian installs it.
    static let executable = "/usr/bin/chromium"

    /// The browser's pid.
    let pid: pid_t
    private let commands: Int32
    private let replies: Mutex<[Int: Data]> = Mutex([:])
    private let nextID = Atomic<Int>(0)
    private let exited = Atomic<Bool>(false)
    /// The browser's own profile, removed at ``stop()``.
    let profile: URL
    /// Chromium's standard error, for a failing test to show.
    let logFile: URL

    /// The page's viewport, in CSS pixels.
    let width: Int
    let height: Int

    /// Starts the browser on `about:blank`; pages it opens have a viewport of `width` × `height` CSS pixels.
    init(width: Int = 1280, height: Int = 860) throws {
        self.width = width
        self.height = height
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        logFile = profile.appendingPathComponent("chromium.log")
        let arguments = [
            Self.executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--mute-audio", "--hide-scrollbars",
            "--remote-debugging-pipe", "--user-data-dir=\(profile.path)", "--window-size=\(width),\(height)", "about:blank",
        ]
        // Both pipes close on exec in this process; dup2 onto 3 and 4 gives the child copies without the flag.
        let toBrowser = try Self.pipe()
        let fromBrowser = try Self.pipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, logFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, toBrowser.read, 3)
        posix_spawn_file_actions_adddup2(&actions, fromBrowser.write, 4)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, Self.executable, &actions, nil, argv, environ)
        close(toBrowser.read)
        close(fromBrowser.write)
        guard status == 0 else {
            close(toBrowser.write)
            close(fromBrowser.read)
            throw ChromiumError(message: "cannot start \(Self.executable): \(String(cString: strerror(status)))")
        }
        pid = child
        commands = toBrowser.write
        let input = fromBrowser.read
        let thread = Thread {
            self.readReplies(from: input)
            self.exited.store(true, ordering: .releasing)
        }
        thread.start()
    }

    /// A pipe whose ends are at fd 10 or above (clear of 3 and 4) and close on exec.
    private static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard Glibc.pipe(&fds) == 0 else { throw ChromiumError(message: "pipe failed") }
        let read = fcntl(fds[0], F_DUPFD_CLOEXEC, 10)
        let write = fcntl(fds[1], F_DUPFD_CLOEXEC, 10)
        close(fds[0])
        close(fds[1])
        return (read, write)
    }

    /// Reads NUL-terminated messages until the browser closes its end, keeping the replies by id.
    private func readReplies(from fd: Int32) {
        var pending = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(fd, &chunk, chunk.count)
            if count <= 0 { break }
            pending.append(contentsOf: chunk[0..<count])
            while let end = pending.firstIndex(of: 0) {
                let message = pending[pending.startIndex..<end]
                pending = Data(pending[(end + 1)...])
                if let object = try? JSONSerialization.jsonObject(with: message) as? [String: Any], let id = object["id"] as? Int {
                    replies.withLock { $0[id] = Data(message) }
                }
            }
        }
        close(fd)
    }

    /// Sends a command (to the page of `session`, if given) and waits for its result.
    /// - Throws: ``ChromiumError`` with the browser's error, or when no reply comes within `timeout`.
    @discardableResult
    func send(_ method: String, _ parameters: [String: Any] = [:], session: String? = nil, timeout: Duration = .seconds(30))
        async throws -> [String: Any]
    {
        let id = nextID.add(1, ordering: .relaxed).newValue
        var message: [String: Any] = ["id": id, "method": method, "params": parameters]
        if let session { message["sessionId"] = session }
        var bytes = try JSONSerialization.data(withJSONObject: message)
        bytes.append(0)
        let written = bytes.withUnsafeBytes { write(commands, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw ChromiumError(message: "cannot write \(method) to the browser") }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let reply = replies.withLock({ $0.removeValue(forKey: id) }) {
                let object = try JSONSerialization.jsonObject(with: reply) as? [String: Any] ?? [:]
                if let error = object["error"] as? [String: Any] {
                    throw ChromiumError(message: "\(method): \(error["message"] ?? error)")
                }
                return object["result"] as? [String: Any] ?? [:]
            }
            if exited.load(ordering: .acquiring) { throw ChromiumError(message: "the browser exited before answering \(method): \(log)") }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ChromiumError(message: "no answer to \(method) within \(timeout)")
    }

    /// Opens `url` in the browser's page and returns the page's session id.
    func open(_ url: String) async throws -> String {
        let targets = try await send("Target.getTargets")["targetInfos"] as? [[String: Any]] ?? []
        guard let page = targets.first(where: { $0["type"] as? String == "page" })?["targetId"] as? String else {
            throw ChromiumError(message: "the browser has no page")
        }
        let attached = try await send("Target.attachToTarget", ["targetId": page, "flatten": true])
        guard let session = attached["sessionId"] as? String else { throw ChromiumError(message: "no session for the page") }
        try await send("Page.enable", session: session)
        // The window size counts the browser's frame; this sets the page's own viewport exactly.
        try await send(
            "Emulation.setDeviceMetricsOverride",
            ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false],
            session: session
        )
        try await send("Page.navigate", ["url": url], session: session)
        return session
    }

    /// Evaluates `expression` in the page and returns its value (JSON-serialisable results only).
    func evaluate(_ expression: String, session: String) async throws -> Any? {
        let result = try await send("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true], session: session)
        if let exception = result["exceptionDetails"] as? [String: Any] {
            throw ChromiumError(message: "\(expression): \(exception["text"] ?? exception)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// A PNG of the page as it is displayed.
    func screenshot(session: String) async throws -> Data {
        let result = try await send("Page.captureScreenshot", ["format": "png"], session: session)
        guard let base64 = result["data"] as? String, let data = Data(base64Encoded: base64) else {
            throw ChromiumError(message: "the screenshot is not base64")
        }
        return data
    }

    /// What Chromium wrote on standard error.
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Closes the browser: politely, then SIGTERM, then SIGKILL, always by pid; removes its profile.
    func stop() async {
        _ = try? await send("Browser.close", timeout: .seconds(5))
        for signal in [SIGTERM, SIGKILL] {
            if await waitForExit(timeout: .seconds(5)) { break }
            kill(pid, signal)
        }
        _ = await waitForExit(timeout: .seconds(5))
        close(commands)
        try? FileManager.default.removeItem(at: profile)
    }

    private func waitForExit(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || reaped == -1 { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}

/// The browser did not do what the test asked.
struct ChromiumError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
