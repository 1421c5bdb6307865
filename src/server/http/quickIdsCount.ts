const PATH = '/v1/ids';
const WITH_COUNT = '/v1/ids?count=';
/** Digits a count may have here; longer ones (leading zeros, huge numbers) go the general way. */
const MAX_DIGITS = 7;

/**
 * The count of the two commonest `GET /v1/ids` request targets, `/v1/ids` (1) and
 * `/v1/ids?count=N` with N from 1 to `maxCount`, read without URLSearchParams or a regex;
 * `undefined` for every other target, which the general path reads with parseIdsQuery (and
 * refuses, when it must, with its messages). Why: for a single ID, parsing the URL the general
 * way costs about as much as making the ID.
 */
export function quickIdsCount(target: string | undefined, maxCount: number): number | undefined {
  if (target === PATH) return 1;
  if (target === undefined || !target.startsWith(WITH_COUNT)) return undefined;
  const digits = target.length - WITH_COUNT.length;
  if (digits < 1 || digits > MAX_DIGITS) return undefined;
  let count = 0;
  for (let i = WITH_COUNT.length; i < target.length; i++) {
    const digit = target.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    count = count * 10 + digit;
  }
  return count >= 1 && count <= maxCount ? count : undefined;
}
