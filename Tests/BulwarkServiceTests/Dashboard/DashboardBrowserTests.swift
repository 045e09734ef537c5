import BulwarkTestSupport
import Foundation
import RedisTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The dashboard in a real headless Chromium: two `bulwark serve` instances on one Redis; a breaker forced
/// open through one shows on the page served by the other, and the page's own buttons change it back.
@Suite(.serialized) struct DashboardBrowserTests {
    static let token = "browser-test-token-0123456789"

    @Test func aBreakerForcedOpenThroughOneInstanceShowsOnThePageOfAnother() async throws {
        let redis = try await RedisServerProcess.start()
        defer { Task { await redis.shutdown() } }
        let alpha = try await ServeProcess.start(redisURL: redis.url, instance: "alpha", adminToken: Self.token, arguments: ["--demo"])
        defer { Task { await alpha.process.terminate() } }
        let bravo = try await ServeProcess.start(redisURL: redis.url, instance: "bravo", adminToken: Self.token)
        defer { Task { await bravo.process.terminate() } }
        let browser = try HeadlessChromium(width: 1280, height: 600)
        do {
            try await drive(browser, alpha: alpha, bravo: bravo)
        } catch {
            Issue.record("chromium said: \(browser.log.suffix(2_000))")
            await browser.stop()
            throw error
        }
        // The page's open stream does not hold bravo's graceful shutdown.
        #expect(await bravo.stopGracefully(timeout: .seconds(30)))
        await browser.stop()
        #expect(await alpha.stopGracefully(timeout: .seconds(30)))
    }

    @Test func anInstanceOnTheLocalFallbackSaysSoOnItsPage() async throws {
        let redis = try await RedisServerProcess.start()
        defer { Task { await redis.shutdown() } }
        try await redis.stop()
        let lonely = try await ServeProcess.start(redisURL: redis.url, instance: "lonely", adminToken: Self.token)
        defer { Task { await lonely.process.terminate() } }
        _ = try await lonely.process.waitFor("the fallback announcement") { $0.contains("local in-memory fallback") ? true : nil }
        let browser = try HeadlessChromium()
        do {
            let page = try await browser.open(lonely.url + "/")
            let deadline = ContinuousClock.now + .seconds(45)
            var banner: String?
            while ContinuousClock.now < deadline {
                banner =
                    try await browser.evaluate(
                        "(() => { const b = document.getElementById('fallback'); return b && !b.hidden ? b.innerText : null })()",
                        session: page
                    ) as? String
                if banner != nil { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            let text = try #require(banner, "no fallback banner")
            #expect(text.contains("lonely") && text.contains("local in-memory fallback"))
            #expect(!text.contains(redis.url), "the Redis URL stays off the page")
        } catch {
            Issue.record("chromium said: \(browser.log.suffix(2_000))")
            await browser.stop()
            throw error
        }
        await browser.stop()
    }

    private func drive(_ browser: HeadlessChromium, alpha: ServeProcess, bravo: ServeProcess) async throws {
        let page = try await browser.open(bravo.url + "/")
        func value(_ expression: String) async throws -> Any? { try await browser.evaluate(expression, session: page) }
        func waitUntil(_ description: String, seconds: Int = 45, _ expression: String) async throws {
            let deadline = ContinuousClock.now + .seconds(seconds)
            while ContinuousClock.now < deadline {
                if try await value(expression) as? Bool == true { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw ChromiumError(message: "the page never showed \(description); body: \(try await value("document.body.innerText") ?? "")")
        }
        let catalog = #"document.querySelector('tr[data-breaker="demo-catalog"]')"#

        // Bravo runs no demo: the rows come from what alpha registered and reports, through Redis.
        try await waitUntil("the demo's three breakers", "document.querySelectorAll('#rows tr').length === 3")
        try await waitUntil("alpha reporting the catalog", "\(catalog).textContent.includes('alpha · closed')")
        #expect(try await value("document.getElementById('connection').textContent") as? String == "Live")
        #expect(try await value("\(catalog).dataset.state") as? String == "closed")

        try await post(alpha, "/api/v1/breakers/demo-catalog/open", token: Self.token)
        try await waitUntil("the catalog forced open", seconds: 20, "\(catalog).dataset.state === 'isolated'")
        let label = try await value("\(catalog).querySelector('[data-role=state]').textContent") as? String
        #expect(label == "FORCED OPEN")
        #expect(try await value("document.querySelector('#rows tr').dataset.breaker") as? String == "demo-catalog", "worst first")
        try await waitUntil("alpha seeing it open", "\(catalog).textContent.includes('alpha · open')")

        // Let the highlight of the change fade, so that the picture shows the page at rest.
        try await Task.sleep(for: .seconds(1))
        let screenshot = try await browser.screenshot(session: page)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-dashboard-\(UUID().uuidString).png")
        try screenshot.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try Self.expectPNG(at: file)
        if let keep = ProcessInfo.processInfo.environment["BULWARK_DASHBOARD_SCREENSHOT"] {
            try screenshot.write(to: URL(fileURLWithPath: keep))
        }

        // The page's own button: a wrong token first, then the right one; the catalog closes again.
        _ = try await value("\(catalog).querySelector('button[data-action=close]').click()")
        try await waitUntil("the token dialog", "document.getElementById('token-dialog').open")
        _ = try await value("document.getElementById('token-input').value = 'wrong-token'; document.getElementById('token-submit').click()")
        try await waitUntil("the wrong-token message", "document.getElementById('token-reason').textContent.includes('not accepted')")
        #expect(try await value("document.getElementById('token-dialog').open") as? Bool == true)
        _ = try await value("document.getElementById('token-input').value = '\(Self.token)'; document.getElementById('token-submit').click()")
        try await waitUntil("the catalog closed from the page", seconds: 20, "\(catalog).dataset.state === 'closed'")
        try await waitUntil("the confirmation", "document.getElementById('toast').textContent.includes('demo-catalog closed')")
        #expect(try await value("sessionStorage.getItem('bulwark.adminToken') !== null") as? Bool == true)

        // A kill switch flipped on bravo's page reaches alpha, which runs the pipeline.
        let retry = #"document.querySelector('tr[data-pipeline="demo-payments"] button[data-policy=retry]')"#
        try await waitUntil("the demo's pipelines' switches", "\(retry) !== null")
        _ = try await value("\(retry).click()")
        try await waitUntil("retry switched off on the page", seconds: 20, "\(retry).classList.contains('switched-off')")
        try await eventually(attempts: 200) {
            let (data, _) = try await URLSession.shared.data(from: URL(string: alpha.url + "/health")!)
            let health = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            let pipelines = (health["switches"] as? [String: Any])?["pipelines"] as? [[String: Any]] ?? []
            let payments = pipelines.first { $0["pipeline"] as? String == "demo-payments" }
            guard payments?["off"] as? [String] == ["retry"] else { throw ChromiumError(message: "alpha still retries: \(pipelines)") }
        }
    }

    private func post(_ serve: ServeProcess, _ path: String, token: String) async throws {
        var request = URLRequest(url: URL(string: serve.url + path)!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
    }

    /// A PNG signature, an IHDR of at least 800 × 500 pixels, and more than 20 kB of picture.
    static func expectPNG(at file: URL) throws {
        let data = try Data(contentsOf: file)
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(data.count > 20_000, "\(data.count) bytes")
        try #require(data.count > 24)
        func integer(at offset: Int) -> Int { data[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        #expect(String(decoding: data[12..<16], as: UTF8.self) == "IHDR")
        #expect(integer(at: 16) >= 800)
        #expect(integer(at: 20) >= 500)
    }
}
