import Foundation

/// Opens a ready-to-use hiredis connection: resolves the endpoint (asking sentinels when configured),
/// connects, authenticates, selects the database and names the client.
///
/// Runs on a connection's own thread: every call blocks.
struct RedisConnector: Sendable {
    let configuration: RedisConfiguration

    /// Opens a connection.
    func connect() throws(RedisClientError) -> HiredisContext {
        let context: HiredisContext
        switch configuration.endpoint {
        case .tcp(let host, let port):
            context = try HiredisContext(host: host, port: port, timeout: configuration.connectTimeout)
        case .unix(let path):
            context = try HiredisContext(unixPath: path, timeout: configuration.connectTimeout)
        case .sentinel(let sentinels, let masterName):
            let master = try resolveMaster(sentinels: sentinels, masterName: masterName)
            context = try HiredisContext(host: master.host, port: master.port, timeout: configuration.connectTimeout)
        }
        context.setTimeout(configuration.commandTimeout)
        switch configuration.endpoint {
        case .tcp, .sentinel: if configuration.tcpKeepAlive { context.enableKeepAlive() }
        case .unix: break
        }
        try handshake(context)
        return context
    }

    private func handshake(_ context: HiredisContext) throws(RedisClientError) {
        if let password = configuration.password {
            let auth =
                if let username = configuration.username {
                    RedisCommand("AUTH", username, password)
                } else {
                    RedisCommand("AUTH", password)
                }
            try step("AUTH", auth, on: context)
        }
        if configuration.database != 0 {
            try step("SELECT", RedisCommand("SELECT", configuration.database), on: context)
        }
        if let name = configuration.clientName {
            try step("CLIENT", RedisCommand("CLIENT", "SETNAME", name), on: context)
        }
        // One round trip proves the server serves this connection: a server at `maxclients` accepts the
        // socket and then answers only with an error, which must fail the connect, not a caller's command.
        try step("PING", RedisCommand("PING"), on: context)
        if case .sentinel(_, let masterName) = configuration.endpoint {
            // A sentinel's answer can lag a failover; the server itself knows its role for sure.
            let role = try step("ROLE", RedisCommand("ROLE"), on: context)
            guard role.array?.first?.string == "master" else {
                throw RedisClientError(.masterNotFound, "the address sentinels gave for '\(masterName)' is not a master yet")
            }
        }
    }

    /// Runs one handshake command; an error reply fails the connect, naming the step so that
    /// ``RedisFailureKind`` can tell a refused password or database from a refused command.
    @discardableResult
    private func step(_ name: String, _ command: RedisCommand, on context: HiredisContext) throws(RedisClientError) -> RedisValue {
        let reply = try context.roundTrip(command)
        guard case .error(var refusal) = reply else { return reply }
        // Redis never echoes a password, but a reply that did must not carry it into logs.
        if let password = configuration.password, !password.isEmpty {
            refusal.message = refusal.message.replacingOccurrences(of: password, with: "***")
        }
        var error = RedisClientError(.serverError, "\(name) refused while connecting: \(refusal.message)", serverError: refusal)
        error.connectStep = name
        throw error
    }

    private func resolveMaster(sentinels: [RedisHostAndPort], masterName: String) throws(RedisClientError) -> RedisHostAndPort {
        var lastError: RedisClientError?
        for sentinel in sentinels {
            do {
                let context = try HiredisContext(host: sentinel.host, port: sentinel.port, timeout: configuration.connectTimeout)
                context.setTimeout(configuration.commandTimeout)
                let reply = try context.roundTrip(RedisCommand("SENTINEL", "get-master-addr-by-name", masterName))
                guard let pair = reply.array, pair.count == 2, let host = pair[0].string, let port = pair[1].int else {
                    lastError = RedisClientError(.masterNotFound, "sentinel \(sentinel) does not know master '\(masterName)'")
                    continue
                }
                return RedisHostAndPort(host: host, port: port)
            } catch {
                lastError = error
            }
        }
        throw RedisClientError(
            .masterNotFound,
            "no sentinel could name the master '\(masterName)'" + (lastError.map { "; last error: \($0.message)" } ?? "")
        )
    }
}
