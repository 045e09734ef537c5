import Foundation

extension ServiceConfiguration {
    /// Reads the defaults, then `file` (JSON object of ``keys``), then `environment`, then `overrides`.
    /// - Throws: ``ServiceConfigurationError`` naming the first bad key; unknown keys in the file are errors.
    public static func load(
        file: String?,
        environment: [String: String],
        overrides: Overrides = Overrides()
    ) throws(ServiceConfigurationError) -> ServiceConfiguration {
        var configuration = ServiceConfiguration()
        if let file { try configuration.apply(fileAt: file) }
        for key in keys {
            if let value = environment[key.variable] { try key.apply(&configuration, value) }
        }
        if let port = overrides.port { try keys.first { $0.name == "port" }!.apply(&configuration, String(port)) }
        if let demo = overrides.demo { configuration.demo = demo }
        if let routes = overrides.gatewayRoutesFile { try keys.first { $0.name == "gatewayRoutesFile" }!.apply(&configuration, routes) }
        return configuration
    }

    private mutating func apply(fileAt path: String) throws(ServiceConfigurationError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServiceConfigurationError(message: "cannot read configuration file \(path)")
        }
        let object: [String: ConfigurationScalar]
        do {
            object = try JSONDecoder().decode([String: ConfigurationScalar].self, from: data)
        } catch {
            throw ServiceConfigurationError(message: "configuration file \(path) must hold one JSON object of strings, numbers and booleans")
        }
        for name in object.keys.sorted() {
            guard let key = Self.keys.first(where: { $0.name == name }) else {
                let known = Self.keys.map(\.name).joined(separator: ", ")
                throw ServiceConfigurationError(message: "configuration file \(path): unknown key '\(name)' (known: \(known))")
            }
            try key.apply(&self, object[name]!.text)
        }
    }
}

/// One value of the configuration file, kept as the text an environment variable would carry.
private struct ConfigurationScalar: Decodable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            text = value ? "true" : "false"
        } else if let value = try? container.decode(Int.self) {
            text = String(value)
        } else {
            text = try container.decode(String.self)
        }
    }
}
