import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Debian's nginx as a plain reverse proxy (keep-alive to the upstream, no logs), W13's reference: started in the
/// foreground from a configuration in a temporary directory, stopped by its pid.
final class GatewayNginx: Sendable {
    let port: Int
    private let process: Process
    private let directory: URL

    private init(port: Int, process: Process, directory: URL) {
        self.port = port
        self.process = process
        self.directory = directory
    }

    /// Starts nginx on `port` in front of `127.0.0.1:<upstream>` and waits until it answers (10 s at most).
    static func start(port: Int, upstream: Int) async throws -> GatewayNginx {
        guard let nginx = ["/usr/sbin/nginx", "/usr/local/sbin/nginx"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw MiddlewareWrk.Failure(description: "nginx not found; install Debian's nginx-light")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-w13-nginx-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.path
        let configuration = """
            worker_processes 2;
            pid \(path)/nginx.pid;
            error_log \(path)/error.log warn;
            events { worker_connections 4096; }
            http {
              access_log off;
              client_body_temp_path \(path)/body;
              proxy_temp_path \(path)/proxy;
              fastcgi_temp_path \(path)/fastcgi;
              uwsgi_temp_path \(path)/uwsgi;
              scgi_temp_path \(path)/scgi;
              upstream bench { server 127.0.0.1:\(upstream); keepalive 128; }
              server {
                listen 127.0.0.1:\(port);
                location / { proxy_pass http://bench; proxy_http_version 1.1; proxy_set_header Connection ""; }
              }
            }
            """
        try Data(configuration.utf8).write(to: directory.appendingPathComponent("nginx.conf"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: nginx)
        process.arguments = ["-p", path, "-c", "\(path)/nginx.conf", "-g", "daemon off;"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let started = GatewayNginx(port: port, process: process, directory: directory)
        for _ in 0..<1_000 {
            if case .success = MiddlewareWrk.execute(["-t1", "-c1", "-d1s", "http://127.0.0.1:\(port)/"]) { return started }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        await started.stop()
        throw MiddlewareWrk.Failure(description: "nginx did not answer on port \(port) (see its error.log)")
    }

    /// Stops nginx (SIGQUIT to its master, by pid) and removes its directory.
    func stop() async {
        if process.isRunning { kill(process.processIdentifier, SIGQUIT) }
        for _ in 0..<500 where process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
    }

    /// A loopback port nothing listens on now (the kernel's choice for a socket bound to port 0).
    static func freePort() -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : 0
    }
}
