import Bulwark
import BulwarkHummingbird
import Hummingbird
import NIOCore

/// The routes the idempotency tests call, behind `CorrelationMiddleware` and `IdempotencyMiddleware`.
///
/// `POST /orders` counts its runs, answers 201 with a `Location` and the instance's name; a body containing
/// `hold` waits at the gate. `/flaky` answers 503 on its first run, `/unstored` answers 409 `notStored()` on
/// its first run, `/throws` throws on its first run, `/big` answers more than the stored maximum.
enum IdempotencyApp {
    static func router(
        _ bulwark: Bulwark,
        instance: String,
        runs: RunCounter,
        gate: Gate = Gate(),
        store: IdempotencyStore? = nil,
        configuration: IdempotencyMiddlewareConfiguration = .init(maximumBodySize: 1_024, maximumResponseSize: 4_096),
        logger: Bool = false
    ) throws -> Router<TestContext> {
        let router = Router(context: TestContext.self)
        router.add(middleware: CorrelationMiddleware())
        router.add(middleware: try IdempotencyMiddleware(store: store ?? bulwark.idempotency, configuration: configuration))
        router.post("/orders") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1_024)
            let run = runs.count("orders")
            if String(buffer: body).contains("hold") { await gate.pass() }
            return Response(
                status: .created,
                headers: [.contentType: "application/json", .location: "/orders/\(run)", .server: instance],
                body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"order":\#(run),"by":"\#(instance)"}"#))
            )
        }
        router.get("/orders") { _, _ in "list" }
        router.post("/flaky") { _, _ -> Response in
            runs.count("flaky") == 1 ? Response(status: .serviceUnavailable) : Response(status: .created)
        }
        router.post("/unstored") { _, _ -> Response in
            runs.count("unstored") == 1 ? Response(status: .conflict).notStored() : Response(status: .created)
        }
        router.post("/throws") { _, _ -> Response in
            if runs.count("throws") == 1 { throw APIError(.unavailable, "not yet") }
            return Response(status: .created)
        }
        router.post("/big") { _, _ -> Response in
            runs.count("big")
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: 5_000)))
        }
        return router
    }
}
