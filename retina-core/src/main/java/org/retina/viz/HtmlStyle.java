package org.retina.viz;

/** The report page's style sheet, inlined so the page needs no other file. */
final class HtmlStyle {
    private HtmlStyle() {
    }

    static final String CSS = """

            :root { color-scheme: light; --ink: #1d2330; --muted: #5b6472; --line: #e3e6eb; --blue: #1f5fbf; }
            * { box-sizing: border-box; }
            body { margin: 0; background: #f4f5f7; color: var(--ink);
                   font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
            main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 40px; }
            h1 { font-size: 26px; margin: 4px 0 14px; }
            h2 { font-size: 19px; margin: 0 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
            h3 { font-size: 15px; margin: 16px 0 8px; color: var(--muted); }
            section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px;
                      margin: 18px 0; }
            figure { margin: 0 0 18px; }
            figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line);
                         border-radius: 4px; }
            figcaption, .hint, footer { color: var(--muted); font-size: 13px; margin-top: 6px; }
            .cards { display: flex; flex-wrap: wrap; gap: 12px; }
            .card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px;
                    min-width: 150px; flex: 1 1 150px; }
            .card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
            .card .value { font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
            .card .note { color: var(--muted); font-size: 12px; }
            .live { display: inline-block; background: #e8f6ec; color: #176b32; border-radius: 14px;
                    padding: 4px 12px; margin: 0 0 14px; font-weight: 600; }
            .dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; background: #1fa64a;
                   margin-right: 8px; animation: pulse 1.6s ease-in-out infinite; }
            @keyframes pulse { 50% { opacity: .25; } }
            table { border-collapse: collapse; font-size: 14px; font-variant-numeric: tabular-nums; }
            th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; }
            thead th { color: var(--muted); font-weight: 600; font-size: 12px; }
            tbody tr:nth-child(even) { background: #fafbfc; }
            tfoot td { font-weight: 600; border-top: 2px solid var(--line); }
            .num { text-align: right; }
            .kv { max-width: 540px; }
            .kv th { color: var(--muted); font-weight: 500; white-space: nowrap; vertical-align: top; }
            .kv td { overflow-wrap: anywhere; }
            .pair { display: flex; flex-wrap: wrap; gap: 0 32px; align-items: flex-start; }
            .perclass { min-width: 340px; }
            .barcell { width: 110px; }
            .bar { height: 10px; border-radius: 5px; background: var(--blue); }
            .worst td { color: #c0262d; font-weight: 600; }
            .worst .bar { background: #c0262d; }
            footer { margin-top: 24px; text-align: center; }
            """;
}
