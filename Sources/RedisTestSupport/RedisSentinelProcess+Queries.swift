extension RedisSentinelProcess {
    /// Asks `SENTINEL get-master-addr-by-name` where the master is now.
    ///
    /// - Parameters:
    ///   - name: The master's name; ``RedisSentinelOptions/masterName`` by default.
    ///   - timeout: How long the query may take; 2 seconds by default.
    /// - Returns: The master's address, or `nil` if the sentinel does not know the name.
    /// - Throws: ``RedisTestSupportError`` when the sentinel cannot be reached or replies with an error.
    public func masterAddress(named name: String? = nil, timeout: Duration = .seconds(2)) async throws -> RedisServerAddress? {
        let reply = try await query(["SENTINEL", "get-master-addr-by-name", name ?? options.masterName], timeout: timeout)
        switch reply {
        case .array(nil), .bulkString(nil):
            return nil
        case .array(let elements?) where elements.count == 2:
            guard let host = elements[0].string, let portText = elements[1].string, let port = Int(portText) else { break }
            return RedisServerAddress(host: host, port: port)
        default:
            break
        }
        throw RedisTestSupportError(.protocolError, message: "unexpected reply to get-master-addr-by-name: \(reply)")
    }

    /// Asks `SENTINEL replicas` which replicas of the master the sentinel sees up.
    ///
    /// Replicas flagged `s_down`, `o_down` or `disconnected` are left out, so a test can wait until the sentinel
    /// has found a replica before it kills the master (a sentinel without a usable replica cannot fail over).
    /// - Parameters:
    ///   - name: The master's name; ``RedisSentinelOptions/masterName`` by default.
    ///   - timeout: How long the query may take; 2 seconds by default.
    /// - Returns: The addresses of the replicas that are up, in the sentinel's order.
    /// - Throws: ``RedisTestSupportError`` when the sentinel cannot be reached or replies with an error.
    public func replicaAddresses(named name: String? = nil, timeout: Duration = .seconds(2)) async throws -> [RedisServerAddress] {
        let reply = try await query(["SENTINEL", "replicas", name ?? options.masterName], timeout: timeout)
        guard case .array(let replicas?) = reply else {
            throw RedisTestSupportError(.protocolError, message: "unexpected reply to SENTINEL replicas: \(reply)")
        }
        return replicas.compactMap { replica -> RedisServerAddress? in
            guard case .array(let pairs?) = replica else { return nil }
            var fields: [String: String] = [:]
            for index in stride(from: 0, to: pairs.count - 1, by: 2) {
                if let key = pairs[index].string, let value = pairs[index + 1].string { fields[key] = value }
            }
            let flags = (fields["flags"] ?? "").split(separator: ",")
            guard let host = fields["ip"], let port = fields["port"].flatMap({ Int($0) }),
                !flags.contains(where: { ["s_down", "o_down", "disconnected"].contains($0) })
            else { return nil }
            return RedisServerAddress(host: host, port: port)
        }
    }

    /// Polls ``masterAddress(named:timeout:)`` until it reports `expected`, such as after a failover.
    ///
    /// - Parameters:
    ///   - expected: The address to wait for.
    ///   - name: The master's name; ``RedisSentinelOptions/masterName`` by default.
    ///   - timeout: The overall deadline; 20 seconds by default.
    /// - Throws: ``RedisTestSupportError/Code/timedOut`` with the last address seen and the log tail.
    public func waitForMasterAddress(_ expected: RedisServerAddress, named name: String? = nil, timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        var lastSeen = "nothing"
        while ContinuousClock.now < deadline {
            do {
                let address = try await masterAddress(named: name, timeout: .seconds(1))
                if address == expected { return }
                lastSeen = address.map(\.description) ?? "no master"
            } catch let error as RedisTestSupportError where error.code != .shutDown {
                lastSeen = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw RedisTestSupportError(
            .timedOut,
            message: "the sentinel did not report \(expected) within \(timeout); last: \(lastSeen); log:\n\(logTail())"
        )
    }

    /// Sends one command and returns its reply, turning an error reply into a thrown error.
    private func query(_ command: [String], timeout: Duration) async throws -> RESPValue {
        let reply = try await instance.exchange([command], timeout: timeout)[0]
        if case .error(let message) = reply {
            throw RedisTestSupportError(.protocolError, message: "\(command.prefix(2).joined(separator: " ")): \(message)")
        }
        return reply
    }
}
