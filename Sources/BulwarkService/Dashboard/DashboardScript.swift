/// The dashboard's script: follows `/api/v1/events` (server-sent events) and keeps one table row per
/// breaker up to date in place, worst first; sends operator commands with the admin token, which it asks
/// for once and keeps in `sessionStorage` (this tab only). It also reads the pipelines' kill switches
/// (`/api/v1/pipelines`) every few seconds and flips one with a click. Every value reaches the page as text,
/// never as markup.
enum DashboardScript {
    static let javascript = #"""
        "use strict";
        (() => {
          const TOKEN_KEY = "bulwark.adminToken";
          const LABELS = { "open": "OPEN", "isolated": "FORCED OPEN", "half-open": "HALF-OPEN", "closed": "CLOSED", "disabled": "DISABLED" };
          const breakers = new Map();
          const rows = new Map();
          let self = "";
          let live = [];
          let loaded = false;
          const $ = (id) => document.getElementById(id);

          function el(tag, className, text) {
            const node = document.createElement(tag);
            if (className) node.className = className;
            if (text !== undefined) node.textContent = text;
            return node;
          }

          function worseFirst(a, b) {
            if (a.severity !== b.severity) return b.severity - a.severity;
            const fa = a.failureRatio ?? -1, fb = b.failureRatio ?? -1;
            if (fa !== fb) return fb - fa;
            return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
          }

          const percent = (ratio) => ratio === null || ratio === undefined ? "—" : (ratio * 100).toFixed(ratio >= 0.1 || ratio === 0 ? 0 : 1) + " %";
          const rate = (value) => value >= 100 ? Math.round(value).toString() : value.toFixed(1);
          const count = (value) => Number(value).toLocaleString("en");

          function describe(config) {
            const rule = config.rule === "ratio"
              ? "trips at " + Math.round(config.threshold * 100) + " % failures"
              : "trips after " + config.threshold + " failures in a row";
            const window = config.rule === "ratio" ? " · " + Math.round(config.windowMilliseconds / 1000) + " s window" : "";
            return rule + window + " · " + config.scope;
          }

          function cell(row, index, label) {
            let td = row.children[index];
            if (!td) {
              td = el("td");
              if (label) td.dataset.label = label;
              row.appendChild(td);
            }
            return td;
          }

          function fill(td, ...nodes) {
            td.replaceChildren(...nodes);
          }

          function actionButton(text, action, name, className) {
            const button = el("button", className, text);
            button.type = "button";
            button.dataset.action = action;
            button.dataset.breaker = name;
            button.setAttribute("aria-label", text + " " + name);
            button.addEventListener("click", () => command(name, action, button));
            return button;
          }

          function render(view) {
            let row = rows.get(view.name);
            const fresh = !row;
            if (fresh) {
              row = el("tr");
              row.dataset.breaker = view.name;
              rows.set(view.name, row);
            }
            const changed = row.dataset.state !== undefined && row.dataset.state !== view.state;
            row.dataset.state = view.state;

            const badge = el("span", "badge s-" + view.state, LABELS[view.state] || view.state.toUpperCase());
            badge.dataset.role = "state";
            const state = [badge];
            if (view.state === "open" && view.openRemainingMilliseconds !== null && view.openRemainingMilliseconds !== undefined) {
              state.push(el("span", "hint", "probes in " + Math.ceil(view.openRemainingMilliseconds / 1000) + " s"));
            } else if (view.state === "isolated") {
              state.push(el("span", "hint", "by an operator"));
            }
            fill(cell(row, 0, "State"), ...state);

            fill(cell(row, 1, "Breaker"), el("div", "name", view.name), el("div", "config", describe(view.configuration) + " · gen " + view.generation));

            const ratio = el("span", "ratio");
            ratio.append(el("span", "", percent(view.failureRatio)));
            const bar = el("span", "bar");
            const fillBar = el("span", view.failureRatio >= 0.5 ? "bad" : view.failureRatio > 0.05 ? "warn" : "");
            fillBar.style.width = Math.round(Math.min(1, view.failureRatio ?? 0) * 100) + "%";
            bar.append(fillBar);
            ratio.append(bar);
            const ratioCell = cell(row, 2, "Failure ratio");
            ratioCell.className = "n";
            fill(ratioCell, ratio);

            const calls = cell(row, 3, "Calls/s");
            calls.className = "n";
            fill(calls, document.createTextNode(rate(view.callsPerSecond)));

            const rejected = cell(row, 4, "Rejected");
            rejected.className = "n";
            fill(rejected, document.createTextNode(rate(view.rejectedPerSecond) + "/s"), el("span", "hint", count(view.rejectedTotal) + " total"));

            const seen = el("div", "seen");
            const groups = [["open", view.instancesOpen], ["half-open", view.instancesHalfOpen], ["closed", view.instancesClosed]];
            for (const [kind, ids] of groups) {
              for (const id of ids) {
                const chip = el("span", "chip " + kind, id + " · " + kind);
                const report = view.instances.find((instance) => instance.id === id);
                if (report) chip.title = id + " saw it " + report.state + " " + Math.round(report.reportedAgoMilliseconds / 1000) + " s ago, " + rate(report.callsPerSecond) + " calls/s";
                seen.append(chip);
              }
            }
            if (!seen.childElementCount) seen.append(el("span", "none", "no live instance has reported calls"));
            fill(cell(row, 5, "Instances"), seen);

            const actions = el("div", "actions");
            if (view.state === "isolated" || view.state === "open" || view.state === "half-open") {
              actions.append(actionButton("Close", "close", view.name), actionButton("Reset", "reset", view.name, "ghost"));
            } else {
              actions.append(actionButton("Force open", "open", view.name, "danger"), actionButton("Reset", "reset", view.name, "ghost"));
            }
            fill(cell(row, 6), actions);

            if (changed) {
              row.classList.add("changed");
              setTimeout(() => row.classList.remove("changed"), 900);
            }
          }

          function layout() {
            const sorted = [...breakers.values()].sort(worseFirst);
            const body = $("rows");
            sorted.forEach((view, index) => {
              const row = rows.get(view.name);
              if (body.children[index] !== row) body.insertBefore(row, body.children[index] || null);
            });
            for (const [name, row] of rows) {
              if (!breakers.has(name)) { row.remove(); rows.delete(name); }
            }
            $("empty").hidden = sorted.length > 0;
            $("empty").textContent = loaded
              ? "No breaker is registered yet. Breakers appear here as soon as an instance uses one."
              : "Waiting for the first view of the fleet from Redis…";
            $("breakers").hidden = sorted.length === 0;
            const open = sorted.filter((view) => view.state === "open" || view.state === "isolated").length;
            const half = sorted.filter((view) => view.state === "half-open").length;
            $("count-open").textContent = open;
            $("count-open").parentElement.classList.toggle("alert", open > 0);
            $("count-half").textContent = half;
            $("count-closed").textContent = sorted.length - open - half;
            document.title = (open ? "(" + open + " open) " : "") + "Bulwark · circuit breakers";
          }

          function summary(data) {
            self = data.instance;
            live = data.liveInstances;
            $("self").textContent = self;
            $("count-instances").textContent = live.length;
            const chips = live.map((id) => {
              const chip = el("span", "chip" + (id === self ? " self" : ""), id === self ? id + " (this one)" : id);
              return chip;
            });
            $("instances").replaceChildren(...chips);
            const fallback = data.sharedState.mode === "fallback";
            $("fallback").hidden = !fallback;
            document.body.dataset.sharedState = data.sharedState.mode;
            if (fallback) {
              $("fallback-text").textContent = "This instance (" + self + ") runs on the local in-memory fallback: Redis is unreachable" +
                (data.sharedState.reason ? " (" + data.sharedState.reason + ")" : "") +
                ". Its breakers decide alone until Redis is back; the view below is the last one read from Redis.";
            }
          }

          function connection(state, text) {
            $("connection").dataset.state = state;
            $("connection").textContent = text;
          }

          function connect() {
            const source = new EventSource("/api/v1/events");
            source.addEventListener("open", () => connection("live", "Live"));
            source.addEventListener("error", () => connection("lost", "Reconnecting…"));
            source.addEventListener("snapshot", (event) => {
              const data = JSON.parse(event.data);
              summary(data);
              loaded = true;
              breakers.clear();
              for (const view of data.breakers) { breakers.set(view.name, view); render(view); }
              layout();
              connection("live", "Live");
            });
            source.addEventListener("breaker", (event) => {
              const view = JSON.parse(event.data);
              breakers.set(view.name, view);
              render(view);
              layout();
            });
            source.addEventListener("removed", (event) => {
              breakers.delete(JSON.parse(event.data).name);
              layout();
            });
            source.addEventListener("status", (event) => {
              summary(JSON.parse(event.data));
              layout();
            });
          }

          let toastTimer;
          function toast(text, isError) {
            const node = $("toast");
            node.textContent = text;
            node.className = "toast" + (isError ? " error" : "");
            node.hidden = false;
            clearTimeout(toastTimer);
            toastTimer = setTimeout(() => { node.hidden = true; }, isError ? 7000 : 3500);
          }

          function askToken(reason, isError) {
            return new Promise((resolve) => {
              const dialog = $("token-dialog");
              const input = $("token-input");
              $("token-reason").textContent = reason;
              $("token-reason").className = isError ? "error" : "";
              input.value = "";
              const done = (value) => {
                $("token-form").onsubmit = null;
                $("token-cancel").onclick = null;
                dialog.oncancel = null;
                if (dialog.open) dialog.close();
                resolve(value);
              };
              $("token-form").onsubmit = (event) => { event.preventDefault(); done(input.value.trim() || null); };
              $("token-cancel").onclick = () => done(null);
              // Escape. Not `close`: that event comes late, and would end the next prompt after a wrong token.
              dialog.oncancel = (event) => { event.preventDefault(); done(null); };
              dialog.showModal();
              input.focus();
            });
          }

          const PAST = { open: "forced open", close: "closed", reset: "reset" };
          const POLICIES = ["retry", "timeout", "bulkhead", "rate-limiter", "hedging", "breaker"];

          function command(name, action, button) {
            return send("/api/v1/breakers/" + encodeURIComponent(name) + "/" + action, undefined, button,
              (body) => name + " " + PAST[action] + " on every instance (generation " + body.generation + ").");
          }

          function renderSwitches(pipelines) {
            const body = $("switch-rows");
            body.replaceChildren();
            for (const state of pipelines) {
              const row = el("tr");
              row.dataset.pipeline = state.pipeline;
              row.append(el("td", "name", state.pipeline));
              const cell = el("td", "actions");
              for (const policy of POLICIES) {
                const off = state.off.includes(policy);
                const button = el("button", off ? "switched-off" : "", policy);
                button.dataset.policy = policy;
                button.title = off ? "Switched off: click to switch it back on" : "On: click to switch it off";
                button.setAttribute("aria-pressed", off ? "false" : "true");
                button.onclick = () => send(
                  "/api/v1/pipelines/" + encodeURIComponent(state.pipeline) + "/switches/" + policy,
                  JSON.stringify({ on: off }), button,
                  (answer) => state.pipeline + ": " + policy + " switched " + (off ? "on" : "off") + " (" + answer.scope + ")."
                ).then(loadSwitches);
                cell.append(button);
              }
              row.append(cell);
              body.append(row);
            }
            $("switches").hidden = pipelines.length === 0;
            $("switches-empty").hidden = pipelines.length !== 0;
          }

          async function loadSwitches() {
            try {
              const response = await fetch("/api/v1/pipelines");
              if (response.ok) renderSwitches((await response.json()).pipelines);
            } catch (error) {
              // The next poll tries again; the breakers' connection state already says when the service is away.
            }
          }

          async function send(path, json, button, success) {
            let token = sessionStorage.getItem(TOKEN_KEY);
            let reason = "Changes need the admin token of this service. It is kept for this tab only.";
            let isError = false;
            for (;;) {
              if (!token) {
                token = await askToken(reason, isError);
                if (!token) return;
              }
              button.disabled = true;
              let response;
              try {
                const headers = { "Authorization": "Bearer " + token };
                if (json !== undefined) headers["Content-Type"] = "application/json";
                response = await fetch(path, { method: "POST", headers, body: json });
              } catch (error) {
                button.disabled = false;
                toast("The service could not be reached: nothing was changed.", true);
                return;
              }
              button.disabled = false;
              const body = await response.json().catch(() => ({}));
              if (response.ok) {
                sessionStorage.setItem(TOKEN_KEY, token);
                toast(success(body));
                return;
              }
              const message = body.error?.message || ("The service answered " + response.status + ".");
              if (response.status === 401) {
                sessionStorage.removeItem(TOKEN_KEY);
                token = null;
                reason = "That admin token was not accepted. Enter the token configured as BULWARK_ADMIN_TOKEN.";
                isError = true;
                toast("Wrong admin token: nothing was changed.", true);
                continue;
              }
              if (response.status === 429) {
                const wait = response.headers.get("Retry-After");
                toast("Too many wrong tokens: changes are refused" + (wait ? " for " + wait + " s" : " for a while") + ".", true);
              } else {
                toast(message, true);
              }
              return;
            }
          }

          document.addEventListener("DOMContentLoaded", () => {
            connect();
            loadSwitches();
            setInterval(loadSwitches, 3000);
          });
        })();
        """#
}
