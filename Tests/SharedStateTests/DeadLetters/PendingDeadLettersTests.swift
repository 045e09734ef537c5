import Testing

@testable import SharedState

@Suite struct PendingDeadLettersTests {
    private func letter(_ text: String) throws -> PendingDeadLetter {
        PendingDeadLetter(
            queue: try DeadLetterQueueName("q"),
            payload: Array(text.utf8),
            error: "e",
            attempts: 1,
            firstFailure: 0,
            lastFailure: 0
        )
    }

    @Test func dropsTheOldestBeyondTheLimit() throws {
        var buffer = PendingDeadLetters(limit: 2)
        let drops = [try letter("a"), try letter("b"), try letter("c")].map { buffer.append($0) }
        #expect(drops == [0, 0, 1])
        #expect(buffer.letters.map(\.letter.payload) == [Array("b".utf8), Array("c".utf8)])
        #expect(buffer.dropped == 1)
    }

    @Test func aFlushRemovesOnlyTheLetterItWrote() throws {
        var buffer = PendingDeadLetters(limit: 1)
        _ = buffer.append(try letter("a"))
        let began = buffer.beginFlush()
        let beganTwice = buffer.beginFlush()
        #expect(began)
        #expect(!beganTwice)
        let sequence = try #require(buffer.first?.sequence)
        _ = buffer.append(try letter("b"))  // the bound drops "a" while it is being written
        buffer.removeFirst(sequence: sequence)
        #expect(buffer.letters.map(\.letter.payload) == [Array("b".utf8)])
        buffer.endFlush()
        let beganAgain = buffer.beginFlush()
        #expect(beganAgain)
    }

    @Test func aZeroLimitKeepsNothing() throws {
        var buffer = PendingDeadLetters(limit: 0)
        let dropped = buffer.append(try letter("a"))
        let began = buffer.beginFlush()
        #expect(dropped == 1)
        #expect(buffer.count == 0)
        #expect(!began)
    }
}
