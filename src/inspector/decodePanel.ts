import { type DecodedId, createDecoder, epochs, layoutNames } from '../exports/core.js';
import { byId, definitionList, el } from './dom.js';
import { formatAge, implausibleTimeWarning } from './implausibleTime.js';

/**
 * The Decode section: IDs pasted one per line, decoded in the page with flakery/core's
 * `createDecoder`, for the layout and epoch chosen (preset to the node's). Each ID gets its
 * fields, its time in UTC and local time, its age, and a warning when that time is implausible.
 */
export class DecodePanel {
  readonly #input = byId<HTMLTextAreaElement>('decode-input');
  readonly #layout = byId<HTMLSelectElement>('decode-layout');
  readonly #epoch = byId<HTMLInputElement>('decode-epoch');
  readonly #results = byId<HTMLOListElement>('decode-results');

  constructor() {
    for (const name of layoutNames) this.#layout.append(new Option(name, name));
    const names = byId<HTMLDataListElement>('epoch-names');
    for (const name of Object.keys(epochs)) names.append(new Option(name, name));
    byId<HTMLFormElement>('decode-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.render();
    });
  }

  /** Presets the layout and epoch to the node's. */
  preset(layout: string, epochMs: number): void {
    if ([...this.#layout.options].some((option) => option.value === layout)) this.#layout.value = layout;
    this.#epoch.value = String(epochMs);
  }

  render(): void {
    this.#results.replaceChildren();
    let read: (id: string) => DecodedId;
    let epochMs: number;
    try {
      const epochText = this.#epoch.value.trim();
      const epoch = /^\d+$/.test(epochText) ? Number(epochText) : (epochText as keyof typeof epochs);
      read = createDecoder({ layout: this.#layout.value as (typeof layoutNames)[number], epoch, format: 'auto' });
      epochMs = typeof epoch === 'number' ? epoch : epochs[epoch];
    } catch (error) {
      this.#results.append(problem(`Cannot decode with these settings: ${(error as Error).message}`));
      return;
    }
    const now = Date.now();
    for (const line of this.#input.value.split(/\r?\n/)) {
      const text = line.trim();
      if (text === '') continue;
      const item = el('li');
      item.append(el('h3', text, 'mono'));
      try {
        item.append(this.#decoded(read(text), epochMs, now));
        item.className = 'decoded';
      } catch (error) {
        item.append(problem((error as Error).message));
      }
      this.#results.append(item);
    }
  }

  #decoded(id: DecodedId, epochMs: number, now: number): HTMLElement {
    const box = el('div');
    const fields = Object.entries(id).map(([name, value]) => [name, String(value)] as const);
    const when = new Date(id.unixMs);
    box.append(
      definitionList(
        [...fields, ['utc', when.toISOString()], ['local', when.toLocaleString(undefined, { timeZoneName: 'short' })], ['age', formatAge(id.unixMs, now)]],
        'fields',
      ),
    );
    const warning = implausibleTimeWarning(id.unixMs, epochMs, now);
    if (warning !== undefined) box.append(el('p', `Warning: ${warning}`, 'warning'));
    return box;
  }
}

function problem(message: string): HTMLElement {
  const p = el('p', message, 'error');
  p.setAttribute('role', 'alert');
  return p;
}
