/** The frame of every console page: who is signed in, sign-out, the plan's navigation; escaped by hono's `html`. */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Session } from '../auth/session.ts';
import { documentHead } from '../pages/layout.ts';
import type { CalendarYearOverride } from '../../domain/working-days.ts';
import { consoleStylesheetPath } from './console-style.ts';
import { roleIn, roleNames } from './roles.ts';

/** What hono's `html` template returns. */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** A plan as the console knows it. */
export interface ConsolePlan {
  readonly id: string;
  readonly title: string;
  /** Every unit of the plan (responsible units, 督查室, leadership), in the plan's order. */
  readonly units: readonly { readonly id: string; readonly name: string }[];
  /** The plan's zone and calendar overrides (its calendar files included), for counting days late in its working days. */
  readonly timezone?: string;
  readonly calendar?: { readonly overrides: readonly CalendarYearOverride[] };
}

/** Where a page sits, for the navigation. */
export interface PageFrame {
  /** The console's mount point, e.g. `/console`. */
  readonly base: string;
  readonly session: Session;
  readonly plans: readonly ConsolePlan[];
  readonly plan?: ConsolePlan;
  readonly current?: 'dashboard' | 'report';
}

/** A console page. */
export function consolePage(frame: PageFrame, title: string, body: Html): Html {
  const { base, session, plan, plans, current } = frame;
  const planBase = plan ? `${base}/plans/${encodeURIComponent(plan.id)}` : undefined;
  const navLink = (href: string, label: string, here: boolean) => html`<a href="${href}"${here ? html` class="current" aria-current="page"` : ''}>${label}</a>`;
  return html`${documentHead(`${title} · 督查督办工作台`, [`${base}${consoleStylesheetPath}`])}
<body class="console">
<header><a class="brand" href="${base}">督查督办工作台</a>
<div class="who"><span>${session.user.name}${plan && roleIn(session, plan.id) ? `（${roleNames[roleIn(session, plan.id)!]}）` : ''}</span>
<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${session.csrfToken}"><button type="submit">退出</button></form></div>
</header>
<main>
${planBase && plan ? html`<nav class="console-nav" aria-label="导航">
<span class="muted">${plan.title}：</span>
${navLink(`${planBase}`, '总览', current === 'dashboard')}
${navLink(`${planBase}/report`, '统计报表', current === 'report')}
<a href="${planBase}/report.csv">导出 CSV</a>
${plans.filter((p) => p.id !== plan.id && roleIn(session, p.id) !== undefined).map((p) => html`<a href="${base}/plans/${encodeURIComponent(p.id)}">切换至：${p.title}</a>`)}
</nav>` : ''}
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

/** A page with one message (errors). */
export function consoleMessagePage(frame: PageFrame, title: string, message: string, tone: 'warn' | 'error' = 'error'): Html {
  return consolePage(frame, title, html`<p class="notice ${tone}">${message}</p>
${frame.plan ? html`<p><a href="${frame.base}/plans/${encodeURIComponent(frame.plan.id)}">返回总览</a></p>` : ''}`);
}
