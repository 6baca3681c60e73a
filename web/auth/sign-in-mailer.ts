/** The sign-in mail: a short Chinese message with the single-use link, over the same SMTP as notices. */
import type { Transporter } from 'nodemailer';
import { escapeHtml } from '../../activities/mail/html.ts';
import type { SignInMailer } from './console-auth.ts';

/** Mails sign-in links from `from` through the transport. */
export function createSignInMailer(transport: Transporter, from: string): SignInMailer {
  return {
    async send(user, link) {
      const text = `${user.name}：\n\n请在 15 分钟内打开以下链接登录督查督办系统（仅可使用一次）：\n${link}\n\n如非本人操作，请忽略本邮件。\n`;
      await transport.sendMail({
        from,
        to: user.email,
        subject: '【督查督办系统】登录链接',
        text,
        html: `<p>${escapeHtml(user.name)}：</p><p>请在 15 分钟内点击以下链接登录督查督办系统（仅可使用一次）：</p><p><a href="${escapeHtml(link)}">登录督查督办系统</a></p><p>如非本人操作，请忽略本邮件。</p>`,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    },
  };
}
