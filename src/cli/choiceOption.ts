import { InvalidOptionError } from '../errors.js';
import { show } from '../options/integerOption.js';

/** `value` if it is one of `choices`, else an InvalidOptionError naming `option` and the choices. */
export function choiceOption<T extends string>(option: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new InvalidOptionError(option, `${option} must be one of ${choices.join(', ')}; got ${show(value)}`);
  }
  return value as T;
}
