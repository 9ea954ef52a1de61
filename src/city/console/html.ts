// HTML building blocks of the city console: escaping (every value that reaches the page goes
// through esc), the page frame and its style. Server-rendered: the console needs no script bundle
// and works in any browser holding a city operator's client certificate.

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Epoch ms → "2026-11-23 10:05" in China Standard Time. */
export function cstTime(ms: number | null | undefined): string {
  if (ms == null) return '—';
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export function options(values: ReadonlyArray<readonly [string, string]>, selected?: string): string {
  return values.map(([v, label]) => `<option value="${esc(v)}"${v === selected ? ' selected' : ''}>${esc(label)}</option>`).join('');
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:14px/1.55 "Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1f2933;background:#f3f5f8}
header{background:#0f1b2d;color:#fff;padding:12px 24px;display:flex;gap:16px;align-items:baseline}
header h1{font-size:18px;margin:0}header .who{opacity:.75;font-size:13px;margin-left:auto}
main{padding:16px 24px;display:grid;gap:16px;grid-template-columns:repeat(auto-fit,minmax(520px,1fr))}
section{background:#fff;border:1px solid #e1e5ea;border-radius:8px;padding:14px 16px}section.wide{grid-column:1/-1}
h2{font-size:15px;margin:0 0 10px}table{width:100%;border-collapse:collapse;font-size:13px}
th,td{text-align:left;padding:6px;border-bottom:1px solid #edf0f3;vertical-align:top}th{color:#5a6472;font-weight:600}
form.grid{display:grid;grid-template-columns:110px 1fr;gap:8px 10px;align-items:center}
form.grid label{color:#5a6472}form.grid .full{grid-column:2}input,select,textarea{font:inherit;padding:5px 8px;border:1px solid #c9d0d8;border-radius:4px;width:100%}
textarea{min-height:64px}button{font:inherit;padding:6px 16px;border-radius:4px;border:0;background:#1f6feb;color:#fff;cursor:pointer;justify-self:start}
.notice{grid-column:1/-1;padding:10px 14px;border-radius:6px}.ok{background:#e7f6ee;border:1px solid #8fd3ad}.err{background:#fdecee;border:1px solid #f0a3a9;color:#a4262c}
.muted{color:#6b7785;font-size:12px}.tag{display:inline-block;padding:0 6px;border-radius:4px;font-size:12px;background:#eef1f5}
.err-text{color:#c0392b}.p-urgent{background:#fff1ea;color:#b4521c}.p-critical{background:#fdecee;color:#c0392b;font-weight:600}.done{color:#1f7a4d}.wait{color:#9a6b00}
details summary{cursor:pointer}
`;

/**
 * A whole page. With `autoRefresh` it reloads itself (a GET of its own path, never a form resend)
 * every 15 s to follow receipts and results, unless the operator is filling in a form.
 */
export function page(title: string, who: string, body: string, opts: { autoRefresh?: boolean } = {}): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body><header><h1>${esc(title)}</h1><span class="who" data-testid="console-who">${esc(who)}</span></header>
<main>${body}</main>${
    opts.autoRefresh
      ? `<script>
let dirty = false;
document.addEventListener('input', () => (dirty = true));
setInterval(() => { if (!dirty && !document.querySelector('form :focus')) location.replace(location.pathname); }, 15000);
</script>`
      : ''
  }</body></html>`;
}
