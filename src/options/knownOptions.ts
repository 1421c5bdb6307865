import { InvalidOptionError } from '../errors.js';
import { show } from './integerOption.js';

/**
 * The keys of an options type as a list, from a record the compiler holds to exactly the
 * type's keys: an option added to the type and not here (or here and not in the type) fails
 * to compile. `knownOptions<ClientOptions>({ servers: true, … })`.
 */
export function knownOptions<T extends object>(keys: { readonly [K in keyof Required<T>]: true }): readonly (keyof T & string)[] {
  return Object.keys(keys) as (keyof T & string)[];
}

/**
 * Refuses a key of `options` that is not in `known` (a typo, an option of another version):
 * silently ignoring it would run with the default the user meant to change. `what` names the
 * options object in the message (`client`, `generator`); `path` goes before the key in
 * `.option` (`servers[0].`).
 */
export function rejectUnknownKeys(options: object, known: readonly string[], what: string, path = ''): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new InvalidOptionError(`${path}${key}`, `unknown ${what} option ${show(key)}; known: ${known.join(', ')}. Check its spelling`);
    }
  }
}
