let second = -1;
let text = '';

/**
 * The value of a `Date` response header for now (RFC 9110 §6.6.1, IMF-fixdate, as node:http
 * writes it), formatted at most once a second: the header has a resolution of one second, and
 * formatting a date costs more than the rest of a small answer's head. `nowMs` is for tests.
 */
export function httpDate(nowMs: number = Date.now()): string {
  const s = Math.floor(nowMs / 1000);
  if (s !== second) {
    second = s;
    text = new Date(s * 1000).toUTCString();
  }
  return text;
}
