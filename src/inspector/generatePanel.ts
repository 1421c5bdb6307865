import type { Api } from './api.js';
import { byId } from './dom.js';
import type { IdsAnswer } from './wire.js';

/** The Generate section: fetches N IDs in a format from GET /v1/ids, with copy to clipboard. */
export class GeneratePanel {
  readonly #output = byId<HTMLTextAreaElement>('generate-output');
  readonly #status = byId('generate-status');
  readonly #format = byId<HTMLSelectElement>('generate-format');

  constructor(api: Api, onIssued: () => void) {
    byId<HTMLFormElement>('generate-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const count = byId<HTMLInputElement>('generate-count').value;
      const query = new URLSearchParams({ count, format: this.#format.value });
      api.json<IdsAnswer>(`/v1/ids?${query}`).then(
        (answer) => {
          this.#output.value = answer.ids.join('\n');
          this.#status.textContent = `${answer.ids.length} IDs`;
          onIssued();
        },
        (error: Error) => (this.#status.textContent = `Refused: ${error.message}`),
      );
    });
    byId('generate-copy').addEventListener('click', () => {
      navigator.clipboard.writeText(this.#output.value).then(
        () => (this.#status.textContent = 'Copied'),
        () => {
          this.#output.select();
          this.#status.textContent = 'Select and copy (the browser refused clipboard access)';
        },
      );
    });
  }

  /** UUIDs only for 128-bit layouts. */
  allowUuid(allowed: boolean): void {
    const uuid = [...this.#format.options].find((option) => option.value === 'uuid');
    if (uuid) uuid.disabled = !allowed;
  }
}
