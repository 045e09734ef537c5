import Foundation
import Resilience

extension GatewayConfiguration {
    /// Reads and checks the routes file at `path`.
    /// - Throws: ``ServiceConfigurationError`` naming the file, the route and the key at fault (never a value).
    public static func load(file path: String) throws(ServiceConfigurationError) -> GatewayConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServiceConfigurationError(message: "gateway routes file \(path): cannot be read")
        }
        do {
            return try parse(data)
        } catch {
            throw ServiceConfigurationError(message: "gateway routes file \(path): \(error.message)")
        }
    }

    /// Parses and checks a routes document held in memory.
    /// - Parameter json: The JSON shown in ``GatewayConfiguration``.
    /// - Throws: ``ServiceConfigurationError`` naming the route and the key at fault.
    public init(json: Data) throws(ServiceConfigurationError) {
        do {
            self = try Self.parse(json)
        } catch {
            throw ServiceConfigurationError(message: "gateway routes: \(error.message)")
        }
    }

    /// Parses and checks a routes document (the JSON shown in ``GatewayConfiguration``).
    /// - Throws: A problem naming the route and the key.
    static func parse(_ data: Data) throws(GatewayConfigurationProblem) -> GatewayConfiguration {
        guard data.count <= 1 << 20 else { throw GatewayConfigurationProblem("is larger than 1 MiB") }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw GatewayConfigurationProblem("must hold one JSON object")
        }
        try refuseUnknown(object, known: ["routes", "maxRequestBodyBytes", "maxResponseBodyBytes"], at: "")
        let gibibyte = 1 << 30
        let requestLimit = try integer(object["maxRequestBodyBytes"], key: "maxRequestBodyBytes", in: 1...gibibyte) ?? 1 << 20
        let responseLimit = try integer(object["maxResponseBodyBytes"], key: "maxResponseBodyBytes", in: 1...gibibyte) ?? 8 << 20
        guard let list = object["routes"] as? [Any], !list.isEmpty else {
            throw GatewayConfigurationProblem("key 'routes': must be a non-empty list of routes")
        }
        guard list.count <= maxRoutes else { throw GatewayConfigurationProblem("key 'routes': at most \(maxRoutes) routes") }
        var routes: [GatewayRoute] = []
        for (index, entry) in list.enumerated() {
            guard let fields = entry as? [String: Any] else { throw GatewayConfigurationProblem("routes[\(index)]: must be an object") }
            let route = try parseRoute(fields, index: index)
            if routes.contains(where: { $0.name == route.name }) {
                throw GatewayConfigurationProblem("route '\(route.name)': key 'name': another route has this name")
            }
            if routes.contains(where: { $0.pathPrefix == route.pathPrefix && $0.host == route.host }) {
                throw GatewayConfigurationProblem("route '\(route.name)': key 'pathPrefix': another route takes the same prefix and host")
            }
            routes.append(route)
        }
        return GatewayConfiguration(routes: routes, maxRequestBodyBytes: requestLimit, maxResponseBodyBytes: responseLimit)
    }

    private static func parseRoute(_ fields: [String: Any], index: Int) throws(GatewayConfigurationProblem) -> GatewayRoute {
        guard let name = fields["name"] as? String, isRouteName(name) else {
            throw GatewayConfigurationProblem("routes[\(index)]: key 'name': must be 1 to 32 characters from a-z 0-9 -")
        }
        func fail(_ key: String, _ problem: String) -> GatewayConfigurationProblem {
            GatewayConfigurationProblem("route '\(name)': key '\(key)': \(problem)")
        }
        try refuseUnknown(fields, known: ["name", "pathPrefix", "host", "upstreams", "policy"], at: "route '\(name)': ")
        guard let prefix = fields["pathPrefix"] as? String, isPathPrefix(prefix) else {
            throw fail("pathPrefix", "must be '/' or '/segment[/segment…]' without a trailing slash, at most 256 path characters")
        }
        var host: String?
        if let value = fields["host"] {
            guard let text = value as? String, isHostName(text) else {
                throw fail("host", "must be a host name (letters, digits, '-' and '.', at most 253) without a port")
            }
            host = text.lowercased()
        }
        guard let urls = fields["upstreams"] as? [Any], (1...maxUpstreams).contains(urls.count) else {
            throw fail("upstreams", "must be a list of 1 to \(maxUpstreams) base URLs")
        }
        var upstreams: [GatewayUpstream] = []
        for (position, value) in urls.enumerated() {
            guard let url = value as? String else { throw fail("upstreams[\(position)]", "must be a string") }
            do {
                upstreams.append(try GatewayUpstream(url: url))
            } catch {
                throw fail("upstreams[\(position)]", error.message)
            }
        }
        let profile = try policy(fields["policy"], fail: fail)
        return GatewayRoute(name: name, pathPrefix: prefix, host: host, upstreams: upstreams, profile: profile)
    }

    /// A preset's name, or an object of `ResilienceProfile.Settings`; `standard` when absent.
    private static func policy(
        _ value: Any?,
        fail: (String, String) -> GatewayConfigurationProblem
    ) throws(GatewayConfigurationProblem) -> ResilienceProfile {
        let presets = ResilienceProfile.presets.keys.sorted().joined(separator: ", ")
        switch value {
        case nil:
            return .standard
        case let name as String:
            guard let preset = ResilienceProfile.presets[name] else { throw fail("policy", "unknown profile; expected one of \(presets)") }
            return preset
        case let object as [String: Any]:
            let settings: ResilienceProfile.Settings
            do {
                let data = try JSONSerialization.data(withJSONObject: object)
                settings = try JSONDecoder().decode(ResilienceProfile.Settings.self, from: data)
            } catch let error as DecodingError {
                throw fail("policy", describe(error))
            } catch {
                throw fail("policy", "must be a profile's name or an object of settings")
            }
            do {
                return try settings.resolve()
            } catch {
                // The settings' message starts with its own key (`retry.retries: …`): prefixed, it names the full key.
                let message = error.message ?? "\(error.code)"
                guard let colon = message.range(of: ": ") else { throw fail("policy", message) }
                throw fail("policy.\(message[..<colon.lowerBound])", String(message[colon.upperBound...]))
            }
        default:
            throw fail("policy", "must be a profile's name (\(presets)) or an object of settings")
        }
    }

    /// The coding path and the reason of a decoding error, without the value.
    private static func describe(_ error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let found), .valueNotFound(_, let found), .dataCorrupted(let found): context = found
        case .keyNotFound(let key, let found):
            return "missing key '\((found.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        @unknown default: return "cannot be read"
        }
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return path.isEmpty ? context.debugDescription : "'\(path)': \(context.debugDescription)"
    }

    private static func refuseUnknown(_ object: [String: Any], known: Set<String>, at place: String) throws(GatewayConfigurationProblem) {
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            let plain = unknown.utf8.count <= 64 && unknown.utf8.allSatisfy { (33...126).contains($0) && $0 != UInt8(ascii: "'") }
            let shown = plain ? unknown : "(a key of unusual characters or over 64 of them)"
            throw GatewayConfigurationProblem("\(place)unknown key '\(shown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
    }

    private static func integer(_ value: Any?, key: String, in range: ClosedRange<Int>) throws(GatewayConfigurationProblem) -> Int? {
        guard let value else { return nil }
        let double = (value as? NSNumber)?.doubleValue ?? .nan
        guard double.isFinite, double == double.rounded(), let number = Int(exactly: double), range.contains(number) else {
            throw GatewayConfigurationProblem("key '\(key)': must be a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    private static func isRouteName(_ name: String) -> Bool {
        (1...32).contains(name.utf8.count)
            && name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isPathPrefix(_ prefix: String) -> Bool {
        guard prefix == "/" else {
            return prefix.hasPrefix("/") && !prefix.hasSuffix("/") && prefix.utf8.count <= 256 && !prefix.contains("//")
                && !prefix.contains("%") && prefix.utf8.allSatisfy(GatewayRequestPath.isPathByte) && GatewayRequestPath.hasNoDotSegments(prefix)
        }
        return true
    }

    private static func isHostName(_ host: String) -> Bool {
        (1...253).contains(host.utf8.count)
            && host.utf8.allSatisfy { byte in
                (97...122).contains(byte) || (65...90).contains(byte) || (48...57).contains(byte) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: ".")
            }
    }
}
