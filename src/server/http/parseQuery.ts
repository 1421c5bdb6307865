import { type IdFormat, idFormats } from '../../id/IdFormat.js';
import { HttpError } from './HttpError.js';

/** What `GET /v1/ids` asks for. */
export interface IdsQuery {
  readonly count: number;
  readonly format: IdFormat;
}

/**
 * Reads `count` (default 1) and `format` (default the layout's: uuid for uuidv7, else decimal) of `GET /v1/ids`. Strict: an
 * unknown or repeated parameter is a 400, so a typo (`?cout=5`) is not silently one ID.
 * A count above `maxCount` is a 413; `uuid` for an 8-byte layout is a 400.
 */
export function parseIdsQuery(search: URLSearchParams, options: { maxCount: number; idSize: number; layout: string; defaultFormat?: IdFormat | undefined }): IdsQuery {
  const params = singleParams(search, ['count', 'format']);
  const count = parseCount(params.get('count'), options.maxCount);
  const format = parseFormat(params.get('format'), idFormats, options.defaultFormat ?? 'decimal');
  if (format === 'uuid' && options.idSize !== 16) {
    throw badRequest(`format=uuid needs a 16-byte layout; this server's layout ${options.layout} has ${options.idSize}-byte IDs`);
  }
  return { count, format };
}

/** The `format` of `GET /v1/ids/{id}`: how to read the ID, default `auto` (as `flakery decode`). */
export function parseDecodeQuery(search: URLSearchParams): { format: IdFormat | 'auto' } {
  const params = singleParams(search, ['format']);
  return { format: parseFormat(params.get('format'), ['auto', ...idFormats] as const, 'auto') };
}

function parseCount(text: string | undefined, maxCount: number): number {
  if (text === undefined) return 1;
  if (!/^[0-9]+$/.test(text)) throw badRequest(`count must be an integer from 1 to ${maxCount}; got ${clip(text)}`);
  const count = Number(text);
  if (count === 0) throw badRequest(`count must be an integer from 1 to ${maxCount}; got 0`);
  if (count > maxCount) {
    throw new HttpError(413, 'ERR_COUNT_TOO_LARGE', `count must be at most ${maxCount}; got ${clip(text)}`, { outcome: 'too_large' });
  }
  return count;
}

function parseFormat<F extends string>(text: string | undefined, formats: readonly F[], fallback: F): F {
  if (text === undefined) return fallback;
  if ((formats as readonly string[]).includes(text)) return text as F;
  throw badRequest(`format must be one of ${formats.join(', ')}; got ${clip(text)}`);
}

/** The parameters as a map, refusing unknown and repeated ones. */
function singleParams(search: URLSearchParams, allowed: readonly string[]): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of search) {
    if (!allowed.includes(name)) throw badRequest(`unknown query parameter ${clip(name)}; allowed: ${allowed.join(', ')}`);
    if (params.has(name)) throw badRequest(`query parameter ${name} given more than once`);
    params.set(name, value);
  }
  return params;
}

function badRequest(message: string): HttpError {
  return new HttpError(400, 'ERR_BAD_REQUEST', message, { outcome: 'bad_request' });
}

/** User input quoted for a message, cut short. */
function clip(text: string): string {
  const quoted = JSON.stringify(text);
  return quoted.length > 40 ? `${quoted.slice(0, 37)}...` : quoted;
}
