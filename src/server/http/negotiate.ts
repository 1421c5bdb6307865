/**
 * Whether the client prefers `text/plain` to `application/json`, by the Accept header's
 * q-values (RFC 9110 §12.5.1): the most specific matching range gives each type's quality.
 * JSON wins ties, so a missing header, `*\/*` or anything unparseable gets JSON.
 */
export function prefersPlainText(accept: string | undefined): boolean {
  if (accept === undefined || accept === '') return false;
  const ranges = accept
    .split(',')
    .slice(0, 32) // a header is bounded by maxHeaderSize; this bounds the work per request too
    .map(parseRange)
    .filter((range) => range !== undefined);
  return quality(ranges, 'text', 'plain') > quality(ranges, 'application', 'json');
}

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
}

function parseRange(part: string): MediaRange | undefined {
  const [mediaType = '', ...params] = part.split(';');
  const match = /^\s*([\w.+*-]+)\/([\w.+*-]+)\s*$/.exec(mediaType);
  if (!match) return undefined;
  let q = 1;
  for (const param of params) {
    const qMatch = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(param);
    if (qMatch) q = Math.min(1, Number(qMatch[1]));
  }
  return { type: match[1]!.toLowerCase(), subtype: match[2]!.toLowerCase(), q };
}

/** The q of the most specific range matching type/subtype; 0 when none matches. */
function quality(ranges: readonly MediaRange[], type: string, subtype: string): number {
  let best = -1;
  let q = 0;
  for (const range of ranges) {
    const specificity =
      range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === '*' ? 1 : range.type === '*' && range.subtype === '*' ? 0 : -1;
    if (specificity > best) {
      best = specificity;
      q = range.q;
    }
  }
  return q;
}
