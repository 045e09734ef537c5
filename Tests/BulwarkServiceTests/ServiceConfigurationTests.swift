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

    @Test func extremeNumbersInEveryKeyAreRefusedWithoutArithmetic() {
        let extremes = ["99999999999999999999999", "-9223372036854775809", "9223372036854775807", "1e308", "-1", "0x10", " 5"]
        for key in ServiceConfiguration.keys {
            for value in extremes {
                // Whatever the key, a value is either refused with a message naming the key, or taken as text.
                do {
                    _ = try ServiceConfiguration.load(file: nil, environment: [key.variable: value])
                } catch {
                    #expect(error.message.contains("'\(key.name)'"), "\(key.name)=\(value): \(error.message)")
                }
            }
        }
        for variable in [
            "BULWARK_PORT", "BULWARK_REQUEST_READ_TIMEOUT_S", "BULWARK_IDLE_TIMEOUT_S", "BULWARK_MAX_EVENT_STREAMS", "BULWARK_SHUTDOWN_GRACE_S",
        ] {
            for value in extremes {
                #expect(throws: ServiceConfigurationError.self, "\(variable)=\(value)") {
                    try ServiceConfiguration.load(file: nil, environment: [variable: value])
                }
            }
        }
    }
}
