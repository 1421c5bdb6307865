import type { Writable } from 'node:stream';

/** Fields every line has, or that the text already says: not repeated after the message. */
const QUIET = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'event']);

/**
 * A destination for the logger under `--log-format pretty`: each JSON line (already redacted by
 * the logger) becomes `PROGRAM: [LEVEL: ]message key=value …` on `out`, so a person at a
 * terminal reads worker-id events and request logs as they read the banner.
 */
export function prettyLogLines(program: string, out: Writable): { write(line: string): void } {
  return {
    write(line: string) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      const level = typeof record.level === 'string' && record.level !== 'info' ? `${record.level}: ` : '';
      const message = String(record.msg ?? '');
      const fields = Object.entries(record)
        // A value the message already says (`worker id 13 …`) is not repeated.
        .filter(([key, value]) => !QUIET.has(key) && value !== undefined && !(typeof value !== 'object' && message.includes(String(value))))
        .map(([key, value]) => `${key}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`);
      out.write(`${program}: ${level}${message}${fields.length ? ` ${fields.join(' ')}` : ''}\n`);
    },
  };
}
