/** A pino destination that keeps every line, for tests that read what was logged. */
export class LogCapture {
  readonly text: string[] = [];

  write(line: string): void {
    this.text.push(line);
  }

  /** Every line parsed as JSON. */
  get lines(): Record<string, unknown>[] {
    return this.text.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Lines with this `event` field. */
  events(event: string): Record<string, unknown>[] {
    return this.lines.filter((line) => line.event === event);
  }

  /** Everything written, as one string. */
  get all(): string {
    return this.text.join('');
  }
}
