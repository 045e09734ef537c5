import BulwarkInstanceKit

/// `bulwark-instance`: one service instance with shared breakers, driven over stdin (see `InstanceRunner`).
@main
enum BulwarkInstance {
    static func main() async throws {
        try await InstanceRunner.run(Array(CommandLine.arguments.dropFirst()))
    }
}
