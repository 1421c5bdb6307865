import type { Buffer } from 'node:buffer';
import { quickIdsCount } from './quickIdsCount.js';

/** What the quick path needs of a request head it may answer by itself. */
export interface QuickHead {
  /** IDs asked for: 1 for `/v1/ids`, N for `/v1/ids?count=N`. */
  readonly count: number;
  /** The Authorization header's value, OWS trimmed, as node:http would hand it over. */
  readonly authorization: string | undefined;
  /** The Accept header's value, OWS trimmed. */
  readonly accept: string | undefined;
}

const SP = 0x20;
const HTAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;
const COLON = 0x3a;
const REQUEST_START = [0x47, 0x45, 0x54, SP]; // "GET "
const REQUEST_END = [SP, 0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e, 0x31, CR, LF]; // " HTTP/1.1\r\n"

/** RFC 9110 §5.6.2 tchar: the bytes a header name may have. */
const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") TCHAR[c.charCodeAt(0)] = 1;

/**
 * Reads one complete request head — request line, header lines, the empty line: the bytes
 * `head[start, end)`, `end` just past the `\r\n\r\n` — and returns what the quick path needs when
 * the request is one it may answer by itself: `GET /v1/ids` or `GET /v1/ids?count=N` (N at most
 * `maxCount`) over HTTP/1.1 with exactly one Host, no body (no Content-Length or
 * Transfer-Encoding), no Expect, Upgrade or Proxy-Connection, Connection absent or `keep-alive`, at most one
 * Authorization and one Accept. `undefined` for anything else, including anything unusual in
 * the syntax: a header name with a byte outside tchar, a value with a byte that is not visible
 * ASCII, space or tab, a folded line, a bare CR or LF.
 *
 * Why so strict: a request refused here is handed to node:http, which parses it with every
 * check and error of its own. Being stricter than node:http costs only speed on odd requests;
 * being looser would let this path answer a request node:http would read differently (a
 * request smuggled past a proxy, say). So the rule is: answer only what cannot be read two ways.
 */
export function readQuickHead(head: Buffer, start: number, end: number, maxCount: number): QuickHead | undefined {
  let i = start;
  for (let k = 0; k < REQUEST_START.length; k++, i++) if (head[i] !== REQUEST_START[k]) return undefined;
  const targetStart = i;
  for (let c = head[i]; c !== SP; c = head[++i]) if (!isVisible(c)) return undefined;
  const target = head.toString('latin1', targetStart, i);
  for (let k = 0; k < REQUEST_END.length; k++, i++) if (head[i] !== REQUEST_END[k]) return undefined;
  const count = quickIdsCount(target, maxCount);
  if (count === undefined) return undefined;

  let hosts = 0;
  let authorization: string | undefined;
  let accept: string | undefined;
  let connection = false;
  const last = end - 2; // the empty line's CR LF
  while (i < last) {
    const nameStart = i;
    while (TCHAR[head[i]!] === 1) i++;
    const nameLength = i - nameStart;
    if (nameLength === 0 || head[i] !== COLON) return undefined;
    i++;
    while (head[i] === SP || head[i] === HTAB) i++;
    const valueStart = i;
    let valueEnd = i;
    for (let c = head[i]; c !== CR; c = head[++i]) {
      if (c === SP || c === HTAB) continue;
      if (!isVisible(c)) return undefined; // also past the end (undefined): never loops on
      valueEnd = i + 1;
    }
    if (head[i + 1] !== LF) return undefined;
    i += 2;
    switch (nameLength) {
      case 4:
        if (isName(head, nameStart, 'host')) hosts++;
        break;
      case 6:
        if (isName(head, nameStart, 'accept')) {
          if (accept !== undefined) return undefined;
          accept = head.toString('latin1', valueStart, valueEnd);
        } else if (isName(head, nameStart, 'expect')) return undefined;
        break;
      case 7:
        if (isName(head, nameStart, 'upgrade')) return undefined;
        break;
      case 10:
        if (isName(head, nameStart, 'connection')) {
          if (connection || valueEnd - valueStart !== 10 || !isName(head, valueStart, 'keep-alive')) return undefined;
          connection = true;
        }
        break;
      case 13:
        if (isName(head, nameStart, 'authorization')) {
          if (authorization !== undefined) return undefined;
          authorization = head.toString('latin1', valueStart, valueEnd);
        }
        break;
      case 14:
        if (isName(head, nameStart, 'content-length')) return undefined;
        break;
      case 16:
        // node:http (llhttp) reads it as Connection: `close` there closes the connection.
        if (isName(head, nameStart, 'proxy-connection')) return undefined;
        break;
      case 17:
        if (isName(head, nameStart, 'transfer-encoding')) return undefined;
        break;
    }
  }
  if (i !== last || hosts !== 1) return undefined;
  return { count, authorization, accept };
}

/**
 * Whether the bytes at `at` spell `lower` (lower-case letters and '-') in any case. `| 0x20`
 * maps only 'A'–'Z' onto 'a'–'z' among the bytes that can reach here (tchar and visible ASCII),
 * and leaves '-' alone.
 */
function isName(bytes: Uint8Array, at: number, lower: string): boolean {
  for (let k = 0; k < lower.length; k++) if ((bytes[at + k]! | 0x20) !== lower.charCodeAt(k)) return false;
  return true;
}

/** Visible ASCII (VCHAR without obs-text); false for `undefined`, a read past the end. */
function isVisible(c: number | undefined): boolean {
  return c !== undefined && c >= 0x21 && c <= 0x7e;
}
