import Foundation
import Testing

@Suite struct CommandLineHelpTests {
    @Test func serveHelpShowsAnExample() throws {
        let output = try BulwarkExecutable.run(["serve", "--help"])
        #expect(output.status == 0)
        #expect(output.standardOutput.contains("Example: bulwark serve"))
    }
}
