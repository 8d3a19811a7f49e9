/** The page's only styles: inline, so report.html is one self-contained file. */
export const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f7fafc; color: #1a202c;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
header { background: #1a365d; color: #fff; padding: 24px 32px 16px; }
header h1 { margin: 0 0 4px; font-size: 24px; font-weight: 650; word-break: break-word; }
header .meta { color: #cbd5e0; font-size: 13px; }
nav { margin-top: 12px; display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 13px; }
nav a { color: #bee3f8; text-decoration: none; }
nav a:hover { text-decoration: underline; }
main { max-width: 1040px; margin: 0 auto; padding: 16px 24px 48px; }
section { background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; padding: 20px 24px; margin: 20px 0; }
h2 { margin: 0 0 12px; font-size: 18px; color: #1a365d; }
h3 { margin: 20px 0 8px; font-size: 14px; color: #2d3748; }
.note { color: #4a5568; font-size: 13px; margin: 4px 0 12px; }
figure { margin: 8px 0 16px; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; display: block; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: 12px; margin-bottom: 12px; }
.card { border: 1px solid #e2e8f0; border-radius: 6px; padding: 10px 12px; background: #f7fafc; }
.card .label { font-size: 12px; color: #718096; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 4px 0 8px; }
th, td { padding: 6px 12px; border-bottom: 1px solid #edf2f7; text-align: left; vertical-align: top; }
th { background: #f7fafc; color: #4a5568; font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.best td { background: #fffaf0; }
td.best { font-weight: 700; color: #22543d; }
.baseline { color: #718096; }
.score { display: block; color: #718096; font-size: 11px; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; height: 10px; background: #90cdf4; border-radius: 2px; vertical-align: middle; }
pre { background: #1a202c; color: #e2e8f0; padding: 16px; border-radius: 6px; overflow-x: auto;
  font: 12.5px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin: 0; }
section.notes { background: #fffbeb; border-color: #f6ad55; }
section.notes h2 { color: #9c4221; }
section.notes li { margin: 4px 0; }
td.train, th.train { color: #4a5568; font-style: italic; }
ol.recs { margin: 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 4px 14px; counter-reset: r; }
ol.recs li { counter-increment: r; min-width: 5.5em; }
ol.recs li::before { content: counter(r) ". "; color: #a0aec0; font-size: 11px; }
footer { text-align: center; color: #a0aec0; font-size: 12px; padding-bottom: 24px; }
`;
