import Foundation
import OperatorViews
import Testing

@testable import BulwarkCommands

/// The pieces of the commands that need no Redis: durations operators type, tables, shown bytes, exit codes.
@Suite struct OutputFormattingTests {
    @Test(arguments: [("30s", 30), ("15m", 900), ("2h", 7_200), ("7d", 604_800), ("1s", 1)])
    func durationsInEveryUnit(_ text: String, _ seconds: Int64) throws {
        #expect(try OperatorDuration(text, option: "--older-than").duration == .seconds(seconds))
    }

    @Test(arguments: ["", "s", "5", "5x", "0s", "-3d", "1.5h", "2 h", "99999999999d", "5S"])
    func malformedDurationsAreUsageErrorsNamingTheOption(_ text: String) {
        let error = #expect(throws: OperatorError.self) { try OperatorDuration(text, option: "--older-than") }
        #expect(error?.code == .usage)
        #expect(error?.message.hasPrefix("--older-than '\(text)' is not a duration") == true)
    }

    @Test func tablesAlignTheirColumns() {
        let table = TextTable(headers: ["NAME", "STATE"], rows: [["demo-catalog", "closed"], ["x", "isolated"]])
        #expect(table.rendered == "NAME           STATE\ndemo-catalog   closed\nx              isolated")
    }

    @Test func bytesShowAsTextOnlyWhenPrintable() {
        let text = DisplayedBytes(Array("héllo\tworld\n".utf8))
        #expect(text.encoding == "utf8")
        #expect(text.text == "héllo\tworld\n")
        #expect(DisplayedBytes([0xFF, 0x00]).encoding == "base64")
        #expect(DisplayedBytes([0x41, 0x07]).text == "QQc=")
    }

    @Test func durationsReadInTheirTwoLargestUnits() {
        #expect(HumanFormat.duration(.milliseconds(350)) == "350ms")
        #expect(HumanFormat.duration(.seconds(45)) == "45s")
        #expect(HumanFormat.duration(.seconds(252)) == "4m 12s")
        #expect(HumanFormat.duration(.seconds(7_500)) == "2h 05m")
        #expect(HumanFormat.duration(.seconds(273_600)) == "3d 4h")
    }

    @Test func exitCodesAreTheDocumentedOnes() {
        let codes: [OperatorError.Code] = [.declined, .usage, .dataError, .notFound, .unavailable, .internalError, .temporaryFailure]
        #expect(codes.map(\.exitCode) == [1, 64, 65, 66, 69, 70, 75])
    }
}
