/**
 * The console's own stylesheet, on top of the shared one: wider pages, tables that turn into cards on a phone.
 * The CSP allows styles from our own origin only (no `style` attributes), so every look is a class here.
 */

/** Where the console pages link the stylesheet (relative to the console's base path). */
export const consoleStylesheetPath = '/assets/console.css';

/** The stylesheet text. */
export const consoleStylesheet = `
body.console main{max-width:78rem}
.console header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between}
.console header a{color:#fff}
.console .who{display:flex;gap:.6rem;align-items:center;font-size:.9rem}
.console .who form{margin:0;padding:0;background:none;border:0}
.console .who button{margin:0;padding:.2rem .7rem;background:#fff;color:#a4161a;font-size:.85rem}
nav.console-nav{display:flex;flex-wrap:wrap;gap:.3rem 1rem;margin:.2rem 0 1rem;font-size:.95rem}
nav.console-nav a{color:#0969da;text-decoration:none}
nav.console-nav a.current{font-weight:600;color:#1f2328;border-bottom:2px solid #a4161a}
h2{font-size:1.15rem;margin:1.6rem 0 .6rem}
a{color:#0969da}
.counts{display:grid;grid-template-columns:repeat(auto-fit,minmax(8rem,1fr));gap:.6rem;margin:0 0 1rem;padding:0;list-style:none}
.counts li a{display:block;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.6rem .8rem;color:#1f2328;text-decoration:none}
.counts li a.active{border-color:#a4161a;box-shadow:0 0 0 1px #a4161a}
.counts .count{display:block;font-size:1.6rem;font-weight:600;line-height:1.2}
form.filters{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:end}
form.filters label{margin:0 0 .2rem}
form.filters select{font:inherit;padding:.3rem;border:1px solid #8c959f;border-radius:4px;background:#fff}
form.filters button{margin:0}
form.filters a{align-self:center}
nav.pages{display:flex;gap:1rem;align-items:center;margin:.8rem 0}
.table-wrap{overflow-x:auto;background:#fff;border:1px solid #d0d7de;border-radius:6px}
table.data{border-collapse:collapse;width:100%;font-size:.92rem}
table.data th,table.data td{padding:.45rem .6rem;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:top}
table.data th{background:#f6f8fa;font-weight:600;white-space:nowrap}
table.data td.num{text-align:right;font-variant-numeric:tabular-nums}
table.data tr.total td{font-weight:600;background:#f6f8fa}
.nowrap{white-space:nowrap}
.level{display:inline-block;min-width:1.6em;text-align:center;border-radius:3px;background:#eaeef2}
.level.raised{background:#ffebe9;color:#a40e26;font-weight:600}
.timeline-wrap{overflow-x:auto;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.4rem}
.timeline-wrap svg{display:block;width:100%;height:auto;min-width:56rem}
.actions{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}
.actions form{margin:0}
form.inline{margin:0;padding:0;background:none;border:0}
form.inline button{margin:0;padding:.2rem .7rem;font-size:.85rem}
.actions h3{margin:0 0 .4rem;font-size:1rem}
.actions input[type=text]{width:100%;font:inherit;padding:.4rem;border:1px solid #8c959f;border-radius:4px}
.actions .buttons{display:flex;flex-wrap:wrap;gap:.6rem}
button.secondary{background:#57606a}
button.danger{background:#82071e}
.box{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:1rem;margin:1rem 0}
.box.pending{border-color:#d4a72c;background:#fff8c5}
.marker.instruction{display:inline-block;font-size:.8rem;padding:0 .4em;border-radius:4px;background:#fff8c5;border:1px solid #d4a72c;color:#7d4e00;white-space:nowrap}
ul.instructions{list-style:none;padding:0}
blockquote{margin:.5rem 0;padding:.5rem 1rem;border-left:4px solid #a4161a;background:#f6f8fa}
.muted{color:#57606a}
dl.facts,dl.rule-list{margin:0}
@media (max-width:44rem){
  table.cards thead{display:none}
  table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
  table.cards tr{border-bottom:2px solid #d0d7de;padding:.4rem 0}
  table.cards td{border:0;padding:.15rem .6rem}
  table.cards td[data-label]::before{content:attr(data-label) "：";color:#57606a}
  table.cards td.num{text-align:left}
  table.cards caption{display:block;text-align:left;padding:.3rem .6rem}
  table.cards td:first-child{font-weight:600}
}
`;
