import { InvalidOptionError } from '../errors.js';

/**
 * `value` as an integer in [min, max], or an InvalidOptionError that names the option and the
 * range. Accepts numbers and decimal strings (flags and environment variables are strings).
 */
export function integerOption(option: string, value: unknown, min: number, max: number): number {
  const number =
    typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new InvalidOptionError(option, `${option} must be an integer from ${min} to ${max}; got ${show(value)}`);
  }
  return number;
}

/** A short, safe rendering of a user's value for an error message. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
