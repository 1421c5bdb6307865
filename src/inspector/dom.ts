/** The element with this id; the page's HTML has every one the script uses. */
export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element as T;
}

/** A new element with text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (text !== undefined) element.textContent = text;
  if (className !== undefined) element.className = className;
  return element;
}

/** A `<dl>` of terms and values, each `<dd>` with `data-field` for tests and styles. */
export function definitionList(entries: readonly (readonly [string, string])[], className?: string): HTMLDListElement {
  const list = el('dl', undefined, className);
  for (const [term, value] of entries) {
    list.append(el('dt', term));
    const dd = el('dd', value);
    dd.dataset.field = term;
    list.append(dd);
  }
  return list;
}
