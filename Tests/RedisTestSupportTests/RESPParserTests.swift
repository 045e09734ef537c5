import Testing

@testable import RedisTestSupport

@Suite struct RESPParserTests {
    @Test func parsesSimpleValues() throws {
        #expect(try RESPParser.parse(Array("+PONG\r\n".utf8))?.value == .simpleString("PONG"))
        #expect(try RESPParser.parse(Array("-NOAUTH Authentication required.\r\n".utf8))?.value == .error("NOAUTH Authentication required."))
        #expect(try RESPParser.parse(Array(":42\r\n".utf8))?.value == .integer(42))
        #expect(try RESPParser.parse(Array("$-1\r\n".utf8))?.value == .bulkString(nil))
        #expect(try RESPParser.parse(Array("*-1\r\n".utf8))?.value == .array(nil))
    }

    @Test func parsesNestedMultiBulkAndReportsConsumedBytes() throws {
        let text = "*2\r\n*2\r\n$4\r\nflag\r\n$0\r\n\r\n$9\r\n127.0.0.1\r\n+next\r\n"
        let parsed = try #require(try RESPParser.parse(Array(text.utf8)))
        #expect(parsed.value == .array([.array([.bulkString("flag"), .bulkString("")]), .bulkString("127.0.0.1")]))
        #expect(parsed.consumed == text.utf8.count - "+next\r\n".utf8.count)
    }

    @Test func waitsForTheRestOfAPartialReply() throws {
        let text = Array("*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6379\r\n".utf8)
        for length in 0..<text.count {
            #expect(try RESPParser.parse(Array(text[..<length])) == nil, "prefix of \(length) bytes")
        }
        #expect(try RESPParser.parse(text)?.value == .array([.bulkString("127.0.0.1"), .bulkString("6379")]))
    }

    @Test func rejectsGarbage() {
        #expect(throws: RESPParser.Malformed.self) { try RESPParser.parse(Array("?what\r\n".utf8)) }
        #expect(throws: RESPParser.Malformed.self) { try RESPParser.parse(Array("$3\r\nabcd\r\n".utf8)) }
    }

    @Test func encodesCommandsAsBulkStrings() {
        #expect(encodeRESPCommand(["PING"]) == Array("*1\r\n$4\r\nPING\r\n".utf8))
        #expect(encodeRESPCommand(["SET", "k", "é"]) == Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\né\r\n".utf8))
    }
}
