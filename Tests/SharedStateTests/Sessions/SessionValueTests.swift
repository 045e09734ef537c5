import Testing

@testable import SharedState

/// Ids, user names and configuration, without Redis.
@Suite struct SessionValueTests {
    @Test func idsAre256RandomBitsInHexAndDistinct() throws {
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let id = SessionID.random()
            #expect(id.value.utf8.count == 64)
            #expect(try SessionID(id.value) == id)
            seen.insert(id.value)
        }
        #expect(seen.count == 10_000)
        // Every hex digit appears in every position over many ids: no position is fixed or biased to zero.
        let ids = Array(seen)
        for position in [0, 15, 16, 31, 63] {
            let digits = Set(ids.map { Array($0.utf8)[position] })
            #expect(digits.count == 16, "position \(position)")
        }
    }

    @Test(arguments: [
        "",
        "abc",
        String(repeating: "a", count: 63),
        String(repeating: "a", count: 65),
        String(repeating: "A", count: 64),
        String(repeating: "g", count: 64),
        String(repeating: "a", count: 63) + "}",
        String(repeating: "a", count: 62) + "\r\n",
    ])
    func malformedIdsAreRejected(_ text: String) {
        let error = #expect(throws: SharedStateError.self) { try SessionID(text) }
        #expect(error?.code == .invalidName)
    }

    @Test func descriptionHidesMostOfTheId() throws {
        let id = SessionID.random()
        #expect(id.description == String(id.value.prefix(8)) + "…")
        #expect(!"\(id)".contains(id.value))
    }

    @Test func userNames() throws {
        #expect(try SessionUser("alice@example.com+1").value == "alice@example.com+1")
        #expect(try SessionUser(String(repeating: "u", count: 128)).value.count == 128)
        for bad in ["", "a b", "a:b", "{a}", "a/b", String(repeating: "u", count: 129)] {
            let error = #expect(throws: SharedStateError.self, "\(bad)") { try SessionUser(bad) }
            #expect(error?.code == .invalidName)
        }
    }

    @Test func configurationNamesTheFieldOutOfRange() {
        #expect(throws: Never.self) { try SessionConfiguration().validate() }
        let cases: [(SessionConfiguration, String)] = [
            (SessionConfiguration(idleTimeout: .microseconds(10)), "idleTimeout"),
            (SessionConfiguration(absoluteLifetime: .zero), "absoluteLifetime"),
            (SessionConfiguration(sweepInterval: .zero), "sweepInterval"),
            (SessionConfiguration(sweepBatchSize: 0), "sweepBatchSize"),
            (SessionConfiguration(eventBufferSize: 0), "eventBufferSize"),
        ]
        for (configuration, field) in cases {
            let error = #expect(throws: SharedStateError.self, "\(field)") { try configuration.validate() }
            #expect(error?.code == .invalidConfiguration)
            #expect(error?.message.hasPrefix(field) == true)
        }
    }

    @Test func defaults() {
        let configuration = SessionConfiguration()
        #expect(configuration.idleMilliseconds == 30 * 60 * 1_000)
        #expect(configuration.absoluteMilliseconds == 12 * 60 * 60 * 1_000)
    }
}
