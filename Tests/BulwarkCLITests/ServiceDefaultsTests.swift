import Testing

@testable import BulwarkCommands
@testable import BulwarkService

/// The commands repeat two of the service's defaults (they do not link the service); these keep them equal.
@Suite struct ServiceDefaultsTests {
    @Test func theDefaultKeyPrefixIsTheServices() {
        #expect(GlobalOptions.defaultKeyPrefix == ServiceConfiguration().keyPrefix)
    }

    @Test func theDefaultIdempotencyScopeIsTheServices() {
        #expect(IdempotencyCommand.defaultScope == IdempotencyRoutes.defaultScope)
    }

    @Test func theDefaultRedisURLIsTheServices() {
        #expect(GlobalOptions.defaultRedisURL == ServiceConfiguration().redisURL)
    }
}
