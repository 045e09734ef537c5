import BulwarkTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One `orders-example` process on a free loopback port, as it would be deployed.
struct OrdersProcess {
    /// The process and its output.
    let process: OutputProcess
    /// `http://127.0.0.1:<port>`.
    let url: String

    /// The built `orders-example` beside the running test program, else in `.build/debug`.
    static var executable: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("orders-example")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: ".build/debug/orders-example")
    }

    /// Starts an instance on a free port and waits until it serves.
    /// - Throws: `OutputProcessError` with its output when it does not come up.
    static func start(_ instance: String, redisURL: String, paymentsURL: String) async throws -> OrdersProcess {
        let process = try OutputProcess(
            executable,
            [],
            environment: ["REDIS_URL": redisURL, "ORDERS_PORT": "0", "ORDERS_INSTANCE": instance, "PAYMENTS_URL": paymentsURL]
        )
        do {
            let port = try await process.waitFor("the 'orders-example serving' announcement") { text -> Int? in
                guard let line = text.split(separator: "\n").first(where: { $0.contains("orders-example serving") }),
                    let range = line.range(of: "port=")
                else { return nil }
                return Int(line[range.upperBound...].prefix { $0.isNumber })
            }
            return OrdersProcess(process: process, url: "http://127.0.0.1:\(port)")
        } catch {
            await process.terminate()
            throw error
        }
    }

    /// Stops it with SIGTERM and checks that it exits cleanly.
    func stop() async {
        process.signal(SIGTERM)
        let exited = await process.waitForExit(timeout: .seconds(30))
        #expect(exited, "a graceful stop")
        #expect(process.exitStatus == 0)
    }
}

/// An answer: status, headers (lowercased names) and body.
struct Answer {
    var status: Int
    var headers: [String: String]
    var body: String
}

/// One request, without URLSession's own cookie handling: the test carries the session cookie itself.
func send(_ method: String, _ url: String, headers: [String: String] = [:], body: String? = nil) async throws -> Answer {
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = method
    request.httpShouldHandleCookies = false
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    request.httpBody = body.map { Data($0.utf8) }
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpCookieAcceptPolicy = .never
    configuration.httpShouldSetCookies = false
    let (data, response) = try await URLSession(configuration: configuration).data(for: request)
    let http = try #require(response as? HTTPURLResponse)
    var fields: [String: String] = [:]
    for (name, value) in http.allHeaderFields {
        if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
    }
    return Answer(status: http.statusCode, headers: fields, body: String(decoding: data, as: UTF8.self))
}

/// Signs `user` in on the instance at `url` and returns the `Cookie` header's value.
func signIn(_ user: String, at url: String) async throws -> String {
    let answer = try await send("POST", url + "/login", headers: ["Content-Type": "application/json"], body: #"{"user":"\#(user)"}"#)
    #expect(answer.status == 204)
    let setCookie = try #require(answer.headers["set-cookie"])
    return String(setCookie.prefix { $0 != ";" })
}
