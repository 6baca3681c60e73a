/** The web server's routes: action links (GET shows, POST acts), health, assets; one error type, one handler. */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { LinkAction } from '../activities/mail/action-links.ts';
import { isIsoDate } from '../domain/iso-date.ts';
import type { DeliverableStatusView } from '../workflows/definitions.ts';
import { confirmUploadCap, type ConfirmUploads } from './attachments/confirm-upload.ts';
import { discardUpload, isMultipart, keepUpload, receiveUpload, uploadFullyRead, uploadLimits, type ReceivedUpload } from './attachments/multipart-upload.ts';
import type { ConsoleAuth, ConsoleEnv } from './auth/console-auth.ts';
import { ActionRejectedError, isDeliverableWorkflowId, type DeliverableGateway } from './deliverable-gateway.ts';
import { InvalidLinkError, type LinkClaims, type LinkSigner } from './links/link-token.ts';
import { acknowledgePage } from './pages/acknowledge-page.ts';
import { actionPage, actionTitles, blockedReason, messagePage, resultPage } from './pages/action-page.ts';
import { answerForm, instructionAnswerPage } from './pages/instruction-answer-page.ts';
import { stylesheet } from './pages/layout.ts';
import { formBodyGuard, hostGuard, maxFormBytes, RequestRefusedError } from './request-guards.ts';
import { progressForm, type ProgressFormData } from './pages/progress-form.ts';
import { TemporalUnavailableError } from './temporal-guard.ts';
import { errorSummary } from './error-summary.ts';

/** What the web app is built from; all given, nothing read from globals. */
export interface WebAppOptions {
  readonly gateway: DeliverableGateway;
  readonly signer: LinkSigner;
  /** PUBLIC_URL: POSTs from any other origin are refused. */
  readonly publicUrl: string;
  /** Wall clock, epoch milliseconds. */
  readonly now: () => number;
  /** Zone in which "today" is meant for date inputs. */
  readonly timezone?: string;
  /** The console for 督查室: sign-in routes, their guards, and the pages behind them (mounted at /console). */
  readonly console?: { readonly auth: ConsoleAuth; readonly routes: Hono<ConsoleEnv> };
  /** 办结材料: where files sent with a confirmation are kept; without it the confirm page takes no files. */
  readonly uploads?: ConfirmUploads;
}

const linkErrors: Record<InvalidLinkError['reason'], [number, string]> = {
  malformed: [400, '链接格式不正确，请从通知邮件中重新打开。'],
  oversized: [414, '链接过长，无法识别。'],
  unknown_key: [403, '链接签名无法验证（密钥已停用），请使用最新通知邮件中的链接。'],
  bad_signature: [403, '链接签名无效，可能已被修改。'],
  expired: [410, '链接已过期，请使用最新通知邮件中的链接，或联系交办部门。'],
};

const forms: { [A in LinkAction]: z.ZodType } = {
  confirm: z.object({ note: z.string().trim().max(2000).optional() }),
  milestone: z.object({ note: z.string().trim().max(2000).optional() }),
  progress: progressForm,
  extension: z.object({
    to: z.string().refine(isIsoDate, '请填写有效的日期'),
    note: z.string().trim().min(1, '请填写延期理由').max(2000),
  }),
  acknowledge: z.object({ hold: z.literal('1', { message: '无效的签收请求' }).optional() }),
  answer: answerForm,
};

/** Builds the app; bad options fail here, not per request. */
export function createWebApp({ gateway, signer, publicUrl, now, timezone = 'Asia/Shanghai', console: consoleParts, uploads }: WebAppOptions): Hono {
  const origin = new URL(publicUrl).origin;
  const app = new Hono();

  app.use(hostGuard(publicUrl));
  app.use(formBodyGuard(maxFormBytes, uploads ? confirmUploadCap(signer, now, uploads) : undefined));
  app.use(secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], styleSrc: ["'self'"], imgSrc: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"] },
    // same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with form posts, and the
    // Origin check could not tell our own pages from a foreign site. Nothing here links elsewhere.
    referrerPolicy: 'same-origin',
    // A route that sets its own, stricter header keeps it (an attachment download adds `sandbox` to its CSP).
    overwrite: false,
  }));
  app.use('/a/*', async (c, next) => {
    await next();
    // Pages behind a token are personal: never cached by a browser or proxy.
    c.header('Cache-Control', 'no-store');
    // An upload answered before its body was read to the end (a refused link, an item already confirmed) is not read on.
    if (isMultipart(c.req.raw) && !uploadFullyRead(c.req.raw)) c.header('Connection', 'close');
  });

  app.get('/healthz', (c) => c.json({ ok: true }));
  if (consoleParts) {
    app.route('/', consoleParts.auth.routes);
    const guarded = new Hono<ConsoleEnv>();
    guarded.use('*', consoleParts.auth.requireSession, consoleParts.auth.requireCsrf);
    guarded.route('/', consoleParts.routes);
    app.route('/console', guarded);
    app.get('/', (c) => c.redirect('/console', 303));
  }
  app.get('/assets/duban.css', (c) => c.body(stylesheet, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }));

  const claimsOf = (token: string): LinkClaims => {
    try {
      return signer.verify(token, now());
    } catch (err) {
      if (err instanceof InvalidLinkError) throw pageError(...linkErrors[err.reason]);
      throw err;
    }
  };
  const statusOf = async (claims: LinkClaims): Promise<DeliverableStatusView> => {
    const view = isDeliverableWorkflowId(claims.workflowId) ? await gateway.status(claims.workflowId) : undefined;
    if (!view) throw pageError(404, '该事项不存在或已被删除。');
    if (!view.units.some((u) => u.unitId === claims.unitId)) throw pageError(403, '本链接对应的单位不是该事项的责任单位。');
    return view;
  };

  app.get('/a/:token', async (c) => {
    const claims = claimsOf(c.req.param('token'));
    const view = await statusOf(claims);
    const today = DateTime.fromMillis(now(), { zone: timezone }).toISODate()!;
    if (claims.action === 'acknowledge') return c.html(acknowledgePage(view, claims.unitId));
    if (claims.action === 'answer') return c.html(instructionAnswerPage(view, claims.unitId));
    return c.html(actionPage(view, claims.unitId, claims.action, today, uploads ? (uploads.limits ?? uploadLimits) : undefined, claims.milestoneId));
  });

  app.post('/a/:token', async (c) => {
    const sentFrom = c.req.header('Origin');
    // Mail scanners only GET; a POST must come from our own page (or a client that sends no Origin, e.g. curl).
    if (sentFrom && sentFrom !== origin) throw pageError(403, '请求来源不被接受。');
    const claims = claimsOf(c.req.param('token'));
    // Refused before any update is sent: a token naming the plan or the sign-in ledger is not a deliverable.
    if (!isDeliverableWorkflowId(claims.workflowId)) throw pageError(404, '该事项不存在或已被删除。');
    let upload: ReceivedUpload | undefined;
    if (uploads && isMultipart(c.req.raw)) {
      if (claims.action !== 'confirm') throw new RequestRefusedError(415, '提交格式不被接受，请通过系统页面上的表单提交。', true);
      // Asked before the body is read: no file is uploaded for a confirmation that cannot happen.
      const view = await statusOf(claims);
      const blocked = blockedReason(view, claims.unitId, 'confirm');
      if (blocked) return c.html(resultPage(view, claims.unitId, `未能确认完成：${blocked}`, 'warn'), 409);
      upload = await receiveUpload(c.req.raw, uploads.store, uploads.limits);
    }
    const parsed = forms[claims.action].safeParse(upload ? upload.fields : await c.req.parseBody());
    if (!parsed.success) {
      if (upload) await discardUpload(uploads!.store, upload);
      throw pageError(400, parsed.error.issues.map((i) => i.message).join('；'));
    }
    const form = parsed.data as { note?: string; to?: string; hold?: '1'; instructionId?: string } & Partial<ProgressFormData>;
    const base = { unitId: claims.unitId, workflowId: claims.workflowId };
    // Kept before the update names them, so a recorded reference never points at a missing file. A confirmation the
    // workflow then refuses (raced by another) leaves its files unreferenced in the store: harmless, never served.
    const attachments = upload ? await keepUpload(uploads!.store, upload) : [];
    try {
      const result = claims.action === 'milestone'
        ? await gateway.completeMilestone(base.workflowId, { milestoneId: claims.milestoneId!, unitId: base.unitId, ...(form.note ? { note: form.note } : {}) })
        : claims.action === 'acknowledge'
        ? await gateway.acknowledge(base.workflowId, { unitId: base.unitId, ...(form.hold ? { holdEscalation: true } : {}) })
        : claims.action === 'answer'
        ? await gateway.answerInstruction(base.workflowId, { unitId: base.unitId, instructionId: form.instructionId!, text: form.note! })
        : claims.action === 'confirm'
        ? await gateway.confirm(base.workflowId, { unitId: base.unitId, ...(form.note ? { note: form.note } : {}), ...(attachments.length ? { attachments } : {}) })
        : claims.action === 'progress'
          ? await gateway.reportProgress(base.workflowId, { unitId: base.unitId, note: form.note!, ...measureOf(form) })
          : await gateway.requestExtension(base.workflowId, { unitId: base.unitId, to: form.to!, reason: form.note! });
      // The update answers with what the page shows (workers before that answered without: then the query asks).
      return c.html(resultPage(result.facts ?? await statusOf(claims), claims.unitId, result.message, 'ok'));
    } catch (err) {
      if (!(err instanceof ActionRejectedError)) throw err;
      const view = await statusOf(claims);
      return c.html(resultPage(view, claims.unitId, `未能${actionTitles[claims.action]}：${err.message}`, 'warn'), 409);
    }
  });

  app.notFound((c) => c.html(messagePage('页面不存在', '您访问的页面不存在。'), 404));
  app.onError((err, c) => {
    // A refused body may still be arriving: answer and close, rather than read the rest of it.
    if (err instanceof RequestRefusedError && err.close) c.header('Connection', 'close');
    if (err instanceof HTTPException) return c.html(messagePage('无法办理', err.message), err.status);
    if (err instanceof TemporalUnavailableError) return c.html(messagePage('暂时无法办理', err.message), 503, { 'Retry-After': '30' });
    console.error('web: unexpected error', errorSummary(err));
    return c.html(messagePage('系统错误', '系统暂时无法处理您的请求，请稍后再试。'), 500);
  });
  return app;
}

/** The percent or stage a progress form gave, as the update takes them (absent when left empty). */
function measureOf(form: Partial<ProgressFormData>) {
  return { ...(form.percent === undefined ? {} : { percent: form.percent }), ...(form.stage === undefined ? {} : { stage: form.stage }) };
}

function pageError(status: number, message: string): HTTPException {
  return new HTTPException(status as 400, { message });
}
