/// The dashboard's stylesheet: system fonts, light and dark schemes (`prefers-color-scheme`), state
/// colours that always come with a text label and a shape, and a card layout on narrow screens.
enum DashboardStyle {
    static let css = """
        :root {
          --bg: #f6f7f9; --panel: #ffffff; --text: #15181d; --muted: #5d6673; --line: #e3e6eb;
          --accent: #3557d4; --shadow: 0 1px 2px rgba(16, 24, 40, .06), 0 1px 3px rgba(16, 24, 40, .08);
          --open: #c4231c; --open-bg: #fde8e7; --forced: #7a1f8f; --forced-bg: #f5e6fa;
          --half: #9a5b00; --half-bg: #fff1d6; --closed: #17753b; --closed-bg: #e3f5e9;
          --disabled: #5d6673; --disabled-bg: #eceef1; --warn-bg: #fff4d6; --warn-line: #f0c44c;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
          font-size: 15px; line-height: 1.45; color: var(--text); background: var(--bg);
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #0f1216; --panel: #171b21; --text: #e8eaee; --muted: #9aa3b0; --line: #2a3039;
            --accent: #8ea6ff; --shadow: none;
            --open: #ff7b72; --open-bg: #3b1614; --forced: #e39cf5; --forced-bg: #35163d;
            --half: #f2b84b; --half-bg: #3a2a0b; --closed: #5fd08a; --closed-bg: #12301e;
            --disabled: #9aa3b0; --disabled-bg: #252a32; --warn-bg: #3a2f0b; --warn-line: #8a6d12;
          }
        }
        * { box-sizing: border-box; }
        [hidden] { display: none !important; }
        body { margin: 0; min-height: 100vh; }
        .top {
          display: flex; align-items: center; justify-content: space-between; gap: 1rem; flex-wrap: wrap;
          padding: 1.1rem 1.5rem; background: var(--panel); border-bottom: 1px solid var(--line);
        }
        .brand { display: flex; align-items: center; gap: .8rem; }
        .mark {
          width: 34px; height: 34px; border-radius: 9px; flex: none;
          background: linear-gradient(135deg, var(--accent), #7b5cff); position: relative;
        }
        .mark::after {
          content: ""; position: absolute; inset: 9px; border-radius: 50%; border: 3px solid #fff; border-right-color: transparent;
        }
        h1 { font-size: 1.25rem; margin: 0; letter-spacing: -.01em; }
        .sub { margin: 0; color: var(--muted); font-size: .9rem; }
        .live {
          display: inline-flex; align-items: center; gap: .45rem; font-size: .85rem; font-weight: 600;
          padding: .3rem .7rem; border-radius: 999px; border: 1px solid var(--line); color: var(--muted);
        }
        .live::before { content: ""; width: .55rem; height: .55rem; border-radius: 50%; background: var(--muted); }
        .live[data-state="live"] { color: var(--closed); }
        .live[data-state="live"]::before { background: var(--closed); animation: pulse 2s ease-in-out infinite; }
        .live[data-state="lost"] { color: var(--open); }
        .live[data-state="lost"]::before { background: var(--open); }
        @keyframes pulse { 50% { opacity: .35; } }
        @media (prefers-reduced-motion: reduce) { .live::before { animation: none !important; } }
        .banner {
          margin: 1rem 1.5rem 0; padding: .8rem 1rem; border-radius: 10px;
          background: var(--warn-bg); border: 1px solid var(--warn-line);
        }
        main { padding: 1.25rem 1.5rem 3rem; max-width: 1400px; margin: 0 auto; }
        .summary { display: flex; flex-wrap: wrap; gap: .75rem; align-items: stretch; margin-bottom: 1.25rem; }
        .tile {
          background: var(--panel); border: 1px solid var(--line); border-radius: 12px; box-shadow: var(--shadow);
          padding: .65rem 1.1rem; min-width: 7.5rem; display: flex; flex-direction: column;
        }
        .tile .num { font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.2; }
        .tile .label { color: var(--muted); font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; }
        .tile.alert .num { color: var(--open); }
        .instances { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; margin-left: auto; }
        .chip {
          display: inline-flex; align-items: center; gap: .3rem; padding: .12rem .5rem; border-radius: 999px;
          font-size: .78rem; font-weight: 600; border: 1px solid var(--line); background: var(--panel); white-space: nowrap;
        }
        .chip.self { border-color: var(--accent); color: var(--accent); }
        table.breakers {
          width: 100%; border-collapse: separate; border-spacing: 0; background: var(--panel);
          border: 1px solid var(--line); border-radius: 12px; box-shadow: var(--shadow); overflow: hidden;
        }
        th {
          text-align: left; font-size: .75rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted);
          font-weight: 600; padding: .7rem .9rem; border-bottom: 1px solid var(--line);
        }
        td { padding: .8rem .9rem; border-bottom: 1px solid var(--line); vertical-align: middle; }
        tbody tr:last-child td { border-bottom: 0; }
        tbody tr { transition: background-color .6s; }
        tbody tr.changed { background: color-mix(in srgb, var(--accent) 10%, transparent); transition: none; }
        tr[data-state="open"] td:first-child { box-shadow: inset 4px 0 0 var(--open); }
        tr[data-state="isolated"] td:first-child { box-shadow: inset 4px 0 0 var(--forced); }
        tr[data-state="half-open"] td:first-child { box-shadow: inset 4px 0 0 var(--half); }
        .n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .name { font-weight: 650; font-size: 1rem; word-break: break-all; }
        .config { color: var(--muted); font-size: .8rem; }
        .badge {
          display: inline-flex; align-items: center; gap: .4rem; font-weight: 700; font-size: .75rem; letter-spacing: .05em;
          padding: .25rem .6rem; border-radius: 6px; white-space: nowrap;
        }
        .badge::before { content: ""; width: .6rem; height: .6rem; flex: none; }
        .s-open { color: var(--open); background: var(--open-bg); }
        .s-open::before { background: currentColor; border-radius: 1px; }
        .s-isolated { color: var(--forced); background: var(--forced-bg); }
        .s-isolated::before { background: currentColor; border-radius: 1px; transform: rotate(45deg); }
        .s-half-open { color: var(--half); background: var(--half-bg); }
        .s-half-open::before { border-radius: 50%; background: linear-gradient(90deg, currentColor 50%, transparent 50%); box-shadow: inset 0 0 0 1.5px currentColor; }
        .s-closed { color: var(--closed); background: var(--closed-bg); }
        .s-closed::before { border-radius: 50%; background: currentColor; }
        .s-disabled { color: var(--disabled); background: var(--disabled-bg); }
        .s-disabled::before { border-radius: 50%; box-shadow: inset 0 0 0 1.5px currentColor; }
        .hint { display: block; color: var(--muted); font-size: .75rem; margin-top: .25rem; white-space: nowrap; }
        .ratio { display: inline-flex; flex-direction: column; align-items: flex-end; gap: .3rem; }
        .bar { width: 5.5rem; height: .3rem; border-radius: 999px; background: var(--line); overflow: hidden; }
        .bar > span { display: block; height: 100%; background: var(--closed); }
        .bar > span.warn { background: var(--half); }
        .bar > span.bad { background: var(--open); }
        .seen { display: flex; flex-wrap: wrap; gap: .3rem; }
        .seen .chip::before { content: ""; width: .45rem; height: .45rem; border-radius: 50%; background: currentColor; }
        .seen .chip.open { color: var(--open); }
        .seen .chip.half-open { color: var(--half); }
        .seen .chip.closed { color: var(--closed); }
        .seen .none { color: var(--muted); font-size: .85rem; }
        .actions { display: flex; gap: .35rem; justify-content: flex-end; }
        button {
          font: inherit; font-size: .82rem; font-weight: 600; border-radius: 7px; padding: .35rem .7rem; cursor: pointer;
          border: 1px solid var(--line); background: var(--panel); color: var(--text); white-space: nowrap;
        }
        button:hover { border-color: var(--accent); }
        button:focus-visible, input:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
        button:disabled { opacity: .5; cursor: progress; }
        button.danger { color: var(--open); }
        button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
        button.ghost { background: transparent; }
        button.switched-off { color: var(--open); text-decoration: line-through; }
        .section-title { font-size: 1rem; margin: 1.5rem 0 .5rem; }
        .empty { color: var(--muted); text-align: center; padding: 2rem; }
        .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        .toast {
          position: fixed; bottom: 1.25rem; left: 50%; transform: translateX(-50%); max-width: min(36rem, 92vw);
          padding: .7rem 1rem; border-radius: 10px; background: var(--text); color: var(--bg); font-weight: 600;
          box-shadow: 0 8px 24px rgba(0, 0, 0, .2);
        }
        .toast.error { background: var(--open); color: #fff; }
        dialog {
          border: 1px solid var(--line); border-radius: 14px; padding: 1.4rem; width: min(26rem, 92vw);
          background: var(--panel); color: var(--text); box-shadow: 0 12px 40px rgba(0, 0, 0, .25);
        }
        dialog::backdrop { background: rgba(10, 12, 16, .45); }
        dialog h2 { margin: 0 0 .4rem; font-size: 1.1rem; }
        dialog p { margin: 0 0 1rem; color: var(--muted); font-size: .9rem; }
        dialog p.error { color: var(--open); font-weight: 600; }
        dialog label { font-weight: 600; font-size: .85rem; }
        dialog input {
          display: block; width: 100%; margin: .35rem 0 1.1rem; padding: .55rem .7rem; font: inherit;
          border: 1px solid var(--line); border-radius: 8px; background: var(--bg); color: var(--text);
        }
        .dialog-actions { display: flex; justify-content: flex-end; gap: .5rem; }
        @media (max-width: 860px) {
          main { padding: 1rem; }
          .instances { margin-left: 0; width: 100%; }
          .summary .tile { flex: 1 1 40%; }
          table.breakers, table.breakers tbody, table.breakers tr, table.breakers td { display: block; width: 100%; }
          table.breakers thead { display: none; }
          table.breakers { background: transparent; border: 0; box-shadow: none; }
          table.breakers tr {
            background: var(--panel); border: 1px solid var(--line); border-radius: 12px; margin-bottom: .75rem;
            padding: .4rem 0; box-shadow: var(--shadow); overflow: hidden;
          }
          td { border: 0; padding: .35rem .9rem; }
          td.n { text-align: left; }
          td[data-label]::before {
            content: attr(data-label); display: inline-block; min-width: 7.5rem; color: var(--muted);
            font-size: .75rem; text-transform: uppercase; letter-spacing: .05em;
          }
          .ratio { flex-direction: row; align-items: center; }
          .actions { justify-content: flex-start; }
          tr[data-state] td:first-child { box-shadow: none !important; }
        }
        """
}
