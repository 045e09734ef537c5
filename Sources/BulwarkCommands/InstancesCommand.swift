import ArgumentParser
import SharedState

/// `bulwark instances`: who is alive.
struct InstancesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instances",
        abstract: "The live instances (heartbeat within 10 s, by Redis's clock) and the breakers each reports.",
        discussion: "Example: bulwark instances --json"
    )

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await OperatorRun.perform(options) { context in
            let live = try await context.directory.liveInstances(client: context.client)
            var breakers: [String: [String]] = [:]
            for text in try await context.directory.breakers(client: context.client).keys.sorted() {
                guard let name = try? BreakerName(text) else { continue }
                for instance in try await context.breakers.instanceReports(name).keys {
                    breakers[instance, default: []].append(name.value)
                }
            }
            try InstanceList(instances: live.sorted().map { InstanceView(id: $0, breakers: breakers[$0] ?? []) }).emit(json: context.json)
        }
    }
}

/// `bulwark instances`' output.
struct InstanceList: CommandOutput {
    let instances: [InstanceView]

    var humanText: String {
        guard !instances.isEmpty else { return "No live instance: none has sent a heartbeat in the last 10 s." }
        return TextTable(
            headers: ["INSTANCE", "BREAKERS"],
            rows: instances.map { [$0.id, $0.breakers.joined(separator: " ")] }
        ).rendered
    }
}

/// One live instance.
struct InstanceView: Encodable {
    /// Its id.
    let id: String
    /// The breakers it has reported, sorted.
    let breakers: [String]
}
