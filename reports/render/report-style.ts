// Inline stylesheet of report.html: large verdict, plain tables, readable in light and dark mode
// (the report is read at odd hours), nothing loaded from anywhere.

export const REPORT_CSS = `
:root { color-scheme: light dark; --fg: #1b1b1b; --muted: #555; --bg: #fff; --line: #d6d6d6; --zebra: #f5f6f8;
  --pass-bg: #e6f4ea; --pass-fg: #1e6b30; --warn-bg: #fff1db; --warn-fg: #8a4b00; --bad: #b3261e; --fail-bg: #fde7e6; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8e8e8; --muted: #aaa; --bg: #141414; --line: #3a3a3a; --zebra: #1d1f22;
    --pass-bg: #12301b; --pass-fg: #8fe0a3; --warn-bg: #3a2604; --warn-fg: #ffc46b; --bad: #ff8a80; --fail-bg: #3a0d0b; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1080px; padding: 24px 20px 48px; font: 16px/1.5 system-ui, 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.3rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.verdict { border-radius: 10px; padding: 18px 22px; margin-bottom: 22px; }
.verdict.pass { background: var(--pass-bg); color: var(--pass-fg); }
.verdict.attention { background: var(--warn-bg); color: var(--warn-fg); }
.verdict.fail { background: var(--fail-bg); color: var(--bad); border: 2px solid var(--bad); }
tr.regression td { background: rgba(179,38,30,0.08); }
.recommend { font-size: 1.05em; }
.verdict .status { font-size: 2.6rem; font-weight: 800; letter-spacing: .04em; margin: 0; line-height: 1.1; }
.verdict ul { margin: 8px 0 6px; padding-left: 22px; font-size: 1.05rem; }
.verdict .untrusted { font-size: 1.1rem; margin: 6px 0; }
.verdict .rule { margin: 0; font-size: .85rem; opacity: .85; }
.meta { color: var(--muted); margin: 0 0 6px; }
.notice { background: var(--warn-bg); color: var(--warn-fg); border-radius: 6px; padding: 6px 12px; margin: 0 0 12px; font-weight: 600; }
.headline { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; margin: 0; }
.headline div { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.headline dt { color: var(--muted); font-size: .85rem; }
.headline dd { margin: 0; font-size: 1.5rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.headline dd small { display: block; font-size: .8rem; font-weight: 400; color: var(--muted); }
figure { margin: 18px 0; }
figure img { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
figcaption { font-size: .9rem; color: var(--muted); }
figcaption b { color: var(--fg); }
table { border-collapse: collapse; width: 100%; font-size: .92rem; margin: 6px 0 12px; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) { background: var(--zebra); }
.bad { color: var(--bad); font-weight: 700; }
code { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: .85em; word-break: break-all; }
dl.settings { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 0; }
dl.settings dt { color: var(--muted); }
dl.settings dd { margin: 0; word-break: break-all; }
footer { margin-top: 40px; font-size: .8rem; color: var(--muted); }
`;
