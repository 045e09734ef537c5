/// The dashboard's HTML: the skeleton that ``DashboardScript`` fills from the event stream, styled by
/// ``DashboardStyle``. Nothing is loaded from anywhere but this service.
enum DashboardPage {
    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>Bulwark · circuit breakers</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/dashboard/app.css">
        <script src="/dashboard/app.js" defer></script>
        </head>
        <body>
        <header class="top">
          <div class="brand">
            <span class="mark" aria-hidden="true"></span>
            <div>
              <h1>Circuit breakers</h1>
              <p class="sub">Shared by every instance through Redis · served by <strong id="self">…</strong></p>
            </div>
          </div>
          <div class="live" id="connection" data-state="connecting" role="status" aria-live="polite">Connecting…</div>
        </header>
        <div class="banner" id="fallback" role="alert" hidden>
          <strong>Local fallback.</strong>
          <span id="fallback-text">This instance cannot reach Redis: its breakers decide alone, and the view below is the last one read.</span>
        </div>
        <main>
          <section class="summary" aria-label="Summary">
            <div class="tile"><span class="num" id="count-open">–</span><span class="label">open</span></div>
            <div class="tile"><span class="num" id="count-half">–</span><span class="label">half-open</span></div>
            <div class="tile"><span class="num" id="count-closed">–</span><span class="label">closed</span></div>
            <div class="tile"><span class="num" id="count-instances">–</span><span class="label">live instances</span></div>
            <div class="instances" id="instances" aria-label="Live instances"></div>
          </section>
          <section aria-label="Breakers">
            <table class="breakers" id="breakers" hidden>
              <thead>
                <tr>
                  <th scope="col">State</th>
                  <th scope="col">Breaker</th>
                  <th scope="col" class="n">Failure ratio</th>
                  <th scope="col" class="n">Calls/s</th>
                  <th scope="col" class="n">Rejected</th>
                  <th scope="col">Instances</th>
                  <th scope="col"><span class="sr">Actions</span></th>
                </tr>
              </thead>
              <tbody id="rows"></tbody>
            </table>
            <p class="empty" id="empty">Waiting for the first view of the fleet from Redis…</p>
          </section>
          <section aria-label="Kill switches">
            <h2 class="section-title">Kill switches</h2>
            <table class="breakers" id="switches" hidden>
              <thead>
                <tr>
                  <th scope="col">Pipeline</th>
                  <th scope="col">Policies (click to switch off or on, on every instance)</th>
                </tr>
              </thead>
              <tbody id="switch-rows"></tbody>
            </table>
            <p class="empty" id="switches-empty">No pipeline is registered yet.</p>
          </section>
        </main>
        <div class="toast" id="toast" role="status" aria-live="polite" hidden></div>
        <dialog id="token-dialog" aria-labelledby="token-title">
          <form method="dialog" id="token-form">
            <h2 id="token-title">Admin token</h2>
            <p id="token-reason">Changes need the admin token of this service. It is kept for this tab only.</p>
            <label for="token-input">Token</label>
            <input id="token-input" type="password" autocomplete="off" spellcheck="false" required>
            <div class="dialog-actions">
              <button type="button" id="token-cancel" class="ghost">Cancel</button>
              <button type="submit" id="token-submit" class="primary">Apply</button>
            </div>
          </form>
        </dialog>
        </body>
        </html>
        """
}
