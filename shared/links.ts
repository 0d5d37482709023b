/** Link policy shared by the editor, exports and every place that renders a URL. */

/** Protocols a link in a plan may use. Anything else (javascript:, data:, file:) is refused. */
export const ALLOWED_LINK_PROTOCOLS = ['http', 'https', 'mailto'] as const;

/** Whether a URL is a link the plan may carry: absolute http(s) or mailto only. */
export function isSafeHref(raw: string): boolean {
  const value = raw.trim();
  // Reject control characters that browsers strip before parsing ("java\tscript:").
  if (/[\u0000-\u001f\u007f]/.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const protocol = url.protocol.slice(0, -1).toLowerCase();
  return (ALLOWED_LINK_PROTOCOLS as readonly string[]).includes(protocol);
}
