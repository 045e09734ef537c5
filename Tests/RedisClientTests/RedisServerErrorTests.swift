import RedisClient
import Testing

@Suite struct RedisServerErrorTests {
    @Test func takesTheCodeFromTheFirstWord() {
        #expect(RedisServerError(reply: "NOSCRIPT No matching script. Please use EVAL.").code == "NOSCRIPT")
        #expect(RedisServerError(reply: "WRONGTYPE Operation against a key holding the wrong kind of value").code == "WRONGTYPE")
        #expect(RedisServerError(reply: "READONLY You can't write against a read only replica.").isTransient)
        #expect(RedisServerError(reply: "unknown failure").code == "ERR")
        #expect(!RedisServerError(reply: "ERR syntax error").isTransient)
    }
}
