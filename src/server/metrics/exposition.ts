/**
 * The Prometheus text exposition format, version 0.0.4: the small part of it Flakery writes.
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 *
 * Written by hand rather than with prom-client: the families are fixed, so their names, HELP
 * texts and label sets are constants (no escaping needed: none holds a backslash, a quote or a
 * line feed), and only the numbers change from one scrape to the next.
 */

/** The Content-Type of the text format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** A sample value as Prometheus (Go's ParseFloat) reads it: `+Inf`, `-Inf`, `NaN` or a number. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** The `# HELP` and `# TYPE` lines that head a metric family. */
export function familyHeader(name: string, help: string, type: 'counter' | 'gauge' | 'histogram'): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;
}

/** A family of one unlabelled sample, written up to its value: HELP, TYPE, then `name `. */
export function singleSampleHead(name: string, help: string, type: 'counter' | 'gauge'): string {
  return `${familyHeader(name, help, type)}${name} `;
}
