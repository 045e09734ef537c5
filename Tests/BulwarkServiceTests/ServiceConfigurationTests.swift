import BulwarkService
import Foundation
import Testing

@Suite struct ServiceConfigurationTests {
    @Test func environmentOverridesTheFileAndOptionsOverrideBoth() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-\(UUID()).json")
        try Data(#"{"port": 9000, "demo": true, "mode": "development", "keyPrefix": "fromfile"}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        var overrides = ServiceConfiguration.Overrides()
        overrides.port = 9100
        let configuration = try ServiceConfiguration.load(
            file: file.path,
            environment: ["BULWARK_KEY_PREFIX": "fromenv", "BULWARK_PORT": "9050"],
            overrides: overrides
        )
        #expect(configuration.port == 9100)
        #expect(configuration.keyPrefix == "fromenv")
        #expect(configuration.demo)
        #expect(configuration.mode == .development)
    }

    @Test func badValuesNameTheKeyAndNeverTheValue() throws {
        let cases: [(String, String, String)] = [
            ("BULWARK_PORT", "70000", "'port'"),
            ("BULWARK_ADMIN_TOKEN", "short-secret", "'adminToken'"),
            ("BULWARK_MODE", "staging", "'mode'"),
            ("BULWARK_DEMO", "maybe", "'demo'"),
            ("LOG_LEVEL", "loud", "'logLevel'"),
            ("BULWARK_KEY_PREFIX", "has space", "'keyPrefix'"),
        ]
        for (variable, value, key) in cases {
            #expect {
                try ServiceConfiguration.load(file: nil, environment: [variable: value])
            } throws: { error in
                let text = "\(error)"
                return text.contains(key) && !text.contains(value)
            }
        }
    }

    @Test func unknownKeysAndMalformedFilesAreRefused() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"prot": 9000}"#.utf8).write(to: file)
        #expect { try ServiceConfiguration.load(file: file.path, environment: [:]) } throws: { "\($0)".contains("unknown key 'prot'") }
        try Data("port = 9000".utf8).write(to: file)
        #expect { try ServiceConfiguration.load(file: file.path, environment: [:]) } throws: { "\($0)".contains("JSON object") }
        #expect { try ServiceConfiguration.load(file: "/nonexistent/bulwark.json", environment: [:]) } throws: { "\($0)".contains("cannot read") }
    }

    @Test func defaultsAreTheDocumentedOnes() throws {
        let configuration = try ServiceConfiguration.load(file: nil, environment: [:])
        #expect(configuration.port == 8080)
        #expect(configuration.redisURL == "redis://127.0.0.1:6379")
        #expect(configuration.adminToken == nil)
        #expect(configuration.mode == .production)
        #expect(ServiceConfiguration.keys.count == Set(ServiceConfiguration.keys.map(\.variable)).count)
    }
}
