import { InvalidOptionError } from '../errors.js';
import { show } from '../options/integerOption.js';

/**
 * One flag a command accepts. A flag is spelled out in full (`--machine-id`); `aliases` add
 * other spellings (`-h`, or Go-style `-hid` for the ofsrvr flags), all reported by the
 * spelling the user typed. A flag with `value` takes one; without, it is a switch.
 */
export interface FlagSpec {
  readonly flag: string;
  readonly aliases?: readonly string[];
  /** Takes a value: its placeholder in help text (`N`, `NAME|MS`). Absent: a switch. */
  readonly value?: string;
  /** What the value may be, for the error when it is missing: `an integer from 1 to 10`. */
  readonly accepts?: string;
  /** One line for `--help`. */
  readonly description: string;
}

/** A command's flags by the key its code reads them under (declare them `as const`). */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** Each flag given: its text for a flag that takes a value, `true` for a switch. */
export type FlagValues<S extends FlagSpecs> = { [K in keyof S]?: S[K] extends { readonly value: string } ? string : true };

/** What the user gave, as text: still to be validated into a typed config. */
export interface ParsedArgs<S extends FlagSpecs> {
  readonly values: FlagValues<S>;
  /** Arguments that are not flags, in order (everything after `--` too). */
  readonly positionals: readonly string[];
}

/**
 * Reads `argv` against `specs`: `--flag value`, `--flag=value`, switches, and `--` to end the
 * flags. Throws an InvalidOptionError naming the flag for an unknown flag, a missing value,
 * a value given to a switch, or a flag given twice (there is no "last one wins": a repeated
 * flag is more often a mistake than an override). Values are not validated here.
 */
export function parseArgs<S extends FlagSpecs>(argv: readonly string[], specs: S, command: string): ParsedArgs<S> {
  const byName = new Map<string, string>();
  for (const [key, spec] of Object.entries(specs)) {
    for (const name of [spec.flag, ...(spec.aliases ?? [])]) byName.set(name, key);
  }
  const values: Record<string, string | true> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!isFlagLike(arg)) {
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    const key = byName.get(name);
    if (key === undefined) {
      const known = Object.values(specs).map((spec) => spec.flag);
      throw new InvalidOptionError(name, `unknown option ${show(name)} for ${command}; it accepts ${known.join(', ')}`);
    }
    const spec = specs[key]!;
    if (values[key] !== undefined) throw new InvalidOptionError(name, `${name} is given more than once`);
    if (spec.value === undefined) {
      if (equals > 0) throw new InvalidOptionError(name, `${name} takes no value; got ${show(arg.slice(equals + 1))}`);
      values[key] = true;
      continue;
    }
    if (equals > 0) {
      values[key] = arg.slice(equals + 1);
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined || (isFlagLike(next) && !/^-\d/.test(next))) {
      throw new InvalidOptionError(name, `${name} needs a value: ${spec.accepts ?? spec.value}`);
    }
    values[key] = next;
    i++;
  }
  return { values: values as FlagValues<S>, positionals };
}

/** `-x`, `--xy`; not `-` alone, which by convention names stdin. */
function isFlagLike(arg: string): boolean {
  return arg.length > 1 && arg.startsWith('-');
}

/** The flags' lines for `--help`, aligned. */
export function describeFlags(specs: FlagSpecs): string {
  const rows = Object.values(specs).map((spec) => {
    const names = [...(spec.aliases ?? []), spec.flag].join(', ');
    return [spec.value === undefined ? names : `${names} ${spec.value}`, spec.description] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n');
}
