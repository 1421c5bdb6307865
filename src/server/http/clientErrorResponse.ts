import { STATUS_CODES } from 'node:http';
import type { ErrorCode } from '../../errors.js';
import type { RequestOutcome } from '../ServerObserver.js';

/**
 * The raw HTTP/1.1 answer to a request Node's parser rejected before any handler saw it, as a
 * JSON error like every other, with `Connection: close` (the stream cannot be trusted after a
 * parse error); `undefined` when the peer is gone and nothing should be written.
 */
export function clientErrorResponse(error: NodeJS.ErrnoException): { raw: string; outcome: RequestOutcome } | undefined {
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return undefined;
  let status = 400;
  let code: ErrorCode = 'ERR_BAD_REQUEST';
  let message = 'the request could not be parsed as HTTP/1.1';
  let outcome: RequestOutcome = 'bad_request';
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    status = 431;
    code = 'ERR_REQUEST_TOO_LARGE';
    message = 'the request line and headers are too large';
    outcome = 'too_large';
  } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    message = 'the request did not arrive in time';
  }
  const body = `${JSON.stringify({ error: { code, message } })}\n`;
  const raw =
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body;
  return { raw, outcome };
}
