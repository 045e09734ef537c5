import Foundation
import Resilience

extension BulwarkConfiguration {
    /// Reads a configuration from one JSON object; a key left out keeps its default, an unknown key is refused.
    ///
    /// | key | type | default |
    /// |---|---|---|
    /// | `redisURL` | string | `redis://127.0.0.1:6379` |
    /// | `keyPrefix` | string | `bulwark` |
    /// | `instanceID` | string | random |
    /// | `redisCommandTimeout` | duration (`250ms`, `1s`) | `250ms` |
    /// | `pipelines` | object: pipeline name → `ResilienceProfile.Settings` | none |
    ///
    /// ```json
    /// {"redisURL": "redis://redis:6379", "pipelines": {"payments": {"profile": "external-api", "timeout": "2s"}}}
    /// ```
    /// - Parameter json: The JSON text.
    /// - Throws: ``BulwarkError`` with code ``BulwarkError/Code/invalidConfiguration`` whose message starts with
    ///   the key at fault, such as `pipelines.payments.retry.retries`; values are never repeated in it.
    public init(json: some Collection<UInt8>) throws(BulwarkError) {
        let file: ConfigurationFile
        do {
            file = try JSONDecoder().decode(ConfigurationFile.self, from: Data(json))
        } catch let error as DecodingError {
            throw BulwarkError(.invalidConfiguration, ConfigurationFile.describe(error))
        } catch {
            throw BulwarkError(.invalidConfiguration, "the configuration is not a JSON object")
        }
        self.init()
        if let redisURL = file.redisURL { self.redisURL = redisURL }
        if let keyPrefix = file.keyPrefix { self.keyPrefix = keyPrefix }
        if let instanceID = file.instanceID { self.instanceID = instanceID }
        if let timeout = file.redisCommandTimeout {
            do {
                redisCommandTimeout = try ResilienceProfile.Settings.duration(timeout, key: "redisCommandTimeout")
            } catch {
                throw BulwarkError(.invalidConfiguration, error.message ?? "redisCommandTimeout: invalid", underlying: error)
            }
        }
        for (name, settings) in file.pipelines ?? [:] {
            do {
                pipelines[name] = try settings.resolve()
            } catch {
                throw BulwarkError(
                    .invalidConfiguration,
                    "pipelines.\(LogEscaping.escaped(name, limit: 64)).\(error.message ?? "invalid")",
                    underlying: error
                )
            }
        }
    }
}

/// The JSON shape of a configuration.
private struct ConfigurationFile: Decodable {
    var redisURL: String?
    var keyPrefix: String?
    var instanceID: String?
    var redisCommandTimeout: String?
    var pipelines: [String: ResilienceProfile.Settings]?

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case redisURL, keyPrefix, instanceID, redisCommandTimeout, pipelines
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let all = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = all.allKeys.first(where: { CodingKeys(stringValue: $0.stringValue) == nil }) {
            throw DecodingError.dataCorruptedError(forKey: unknown, in: all, debugDescription: "unknown key")
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        redisURL = try container.decodeIfPresent(String.self, forKey: .redisURL)
        keyPrefix = try container.decodeIfPresent(String.self, forKey: .keyPrefix)
        instanceID = try container.decodeIfPresent(String.self, forKey: .instanceID)
        redisCommandTimeout = try container.decodeIfPresent(String.self, forKey: .redisCommandTimeout)
        pipelines = try container.decodeIfPresent([String: ResilienceProfile.Settings].self, forKey: .pipelines)
    }

    /// The key path of a decoding error and what was wrong, without the value.
    static func describe(_ error: DecodingError) -> String {
        let (context, problem): (DecodingError.Context, String) =
            switch error {
            case .typeMismatch(let type, let context): (context, "expected \(type)")
            case .valueNotFound(let type, let context): (context, "expected \(type)")
            case .keyNotFound(let key, let context): (context, "missing \(LogEscaping.escaped(key.stringValue, limit: 64))")
            case .dataCorrupted(let context): (context, context.codingPath.isEmpty ? "not a JSON object" : context.debugDescription)
            @unknown default: (DecodingError.Context(codingPath: [], debugDescription: ""), "invalid")
            }
        let path = context.codingPath.map { LogEscaping.escaped($0.stringValue, limit: 64) }.joined(separator: ".")
        return path.isEmpty ? "configuration: \(problem)" : "\(path): \(problem)"
    }
}
