import Bulwark
import Logging
import ServiceLifecycle
import Synchronization

/// What the README's example leaves to the application: the order, the receipt, the provider's client and the
/// server that takes requests. The test's versions record what happened.
struct Order: Sendable {
    let id: String
}

/// A payment made.
struct Receipt: Sendable {
    let order: Int
}

/// The payments provider's client, down for this test: every charge fails with an error that says nothing about
/// itself, as most libraries' errors do.
final class PaymentsGateway: Sendable {
    struct Down: Error {}

    private let charges = Atomic<Int>(0)

    /// How many charges reached the provider.
    var attempts: Int { charges.load(ordering: .relaxed) }

    func charge(_ order: Order, idempotencyKey: String) async throws -> Receipt {
        charges.add(1, ordering: .relaxed)
        throw Down()
    }
}

/// The application's payments client, as the README's code names it.
let gateway = PaymentsGateway()

/// What the application's server saw from each call it made.
let outcomes = Mutex<[String]>([])

/// The application's server: it pays two orders, records how each call ended, and stops the group by
/// throwing ``Finished`` (a real server runs until SIGTERM).
struct YourServer: Service {
    /// Thrown when the test's calls are done.
    struct Finished: Error {}

    let checkout: Checkout

    func run() async throws {
        for id in 1...2 {
            let outcome: String
            do {
                _ = try await checkout.pay(Order(id: "order-\(id)"))
                outcome = "paid"
            } catch is PaymentsGateway.Down {
                outcome = "provider failed"
            } catch let error as ResilienceError {
                outcome = "\(error.code)"
            }
            outcomes.withLock { $0.append(outcome) }
        }
        throw Finished()
    }
}
