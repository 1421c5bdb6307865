/**
 * A strict reader of the Prometheus text format (0.0.4) for tests: it throws on any line it does
 * not understand, so a test that reads `/metrics` with it also checks the output is well formed.
 */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly samples: Sample[];
}

// `s`: label values may hold U+2028/U+2029, which `.` would not match; lines end only at \n.
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/s;
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\\\|\\"|\\n)*)"(,|$)/;

export function parsePrometheusText(text: string): Map<string, Family> {
  if (text !== '' && !text.endsWith('\n')) throw new Error('exposition must end with a line feed');
  const families = new Map<string, Family>();
  let help: { name: string; text: string } | undefined;
  for (const line of text.split('\n').slice(0, -1)) {
    let match: RegExpExecArray | null;
    if ((match = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/s.exec(line))) {
      help = { name: match[1]!, text: unescape(match[2]!, false) };
    } else if ((match = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line))) {
      const name = match[1]!;
      if (families.has(name)) throw new Error(`second TYPE line for ${name}`);
      if (help?.name !== name) throw new Error(`TYPE ${name} without a HELP line just before it`);
      families.set(name, { name, help: help.text, type: match[2]!, samples: [] });
    } else if ((match = SAMPLE.exec(line))) {
      const [, name, , labelText, valueText] = match;
      const family = familyOf(families, name!);
      if (family === undefined) throw new Error(`sample ${name} before its TYPE line`);
      family.samples.push({ name: name!, labels: parseLabels(labelText ?? ''), value: parseValue(valueText!) });
    } else {
      throw new Error(`cannot read line: ${JSON.stringify(line)}`);
    }
  }
  return families;
}

/** The value of the one sample named `name` with exactly these labels. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const family = familyOf(families, name);
  const found = family?.samples.filter((s) => s.name === name && sameLabels(s.labels, labels)) ?? [];
  if (found.length !== 1) throw new Error(`expected one sample ${name} ${JSON.stringify(labels)}, found ${found.length}`);
  return found[0]!.value;
}

function familyOf(families: Map<string, Family>, sampleName: string): Family | undefined {
  const exact = families.get(sampleName);
  if (exact) return exact;
  const base = sampleName.replace(/_(bucket|sum|count)$/, '');
  const family = families.get(base);
  return family?.type === 'histogram' || family?.type === 'summary' ? family : undefined;
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest !== '') {
    const match = LABEL.exec(rest);
    if (!match) throw new Error(`cannot read labels: ${JSON.stringify(text)}`);
    if (match[1]! in labels) throw new Error(`label ${match[1]} twice`);
    labels[match[1]!] = unescape(match[2]!, true);
    rest = rest.slice(match[0].length);
    if (match[3] === ',' && rest === '') throw new Error('trailing comma in labels');
  }
  return labels;
}

function unescape(text: string, quotes: boolean): string {
  return text.replace(/\\(.)/g, (whole, c: string) => {
    if (c === 'n') return '\n';
    if (c === '\\') return '\\';
    if (c === '"' && quotes) return '"';
    throw new Error(`bad escape ${whole}`);
  });
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  if (Number.isNaN(value) || text.trim() !== text || text === '') throw new Error(`bad value ${text}`);
  return value;
}
