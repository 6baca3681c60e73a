/** The one HTML escaper every mail and dev page uses: no interpolated value reaches markup unescaped. */

const replacements: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML element or a quoted attribute value. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => replacements[c]!);
}

/** Whether a URL may become a link: only absolute http(s), so a bad link maker cannot inject `javascript:`. */
export function isWebUrl(url: string): boolean {
  return /^https?:\/\/[^\s<>"']+$/i.test(url);
}
