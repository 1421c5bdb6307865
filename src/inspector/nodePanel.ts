import { byId, definitionList } from './dom.js';
import { formatAge } from './implausibleTime.js';
import type { NodeInfo } from './wire.js';

/** The "This node" section: what the server says it is (GET /v1/node). */
export function renderNode(info: NodeInfo): void {
  const health = info.health.ok ? 'ok' : `unavailable: ${info.health.code ?? ''} ${info.health.reason ?? ''}`.trim();
  const entries: (readonly [string, string])[] = [
    ['layout', `${info.layout} (${info.idBits}-bit)`],
    ['epoch', `${info.epoch} (${info.epochMs})`],
    ...Object.entries(info.node).map(([name, value]) => [name, String(value)] as const),
  ];
  if (info.hardwareIdType !== undefined) entries.push(['hardware id from', info.hardwareIdType]);
  if (info.workerIdSource !== undefined) entries.push(['worker id', info.workerIdSource === 'lease' ? 'leased' : 'fixed']);
  entries.push(
    ['health', health],
    ['up', formatAge(info.startedUnixMs, info.startedUnixMs + info.uptimeMs).replace(/ ago$/, '')],
    ['version', info.version],
    ['auth', info.authRequired ? 'token required' : 'none'],
  );
  const panel = byId('node-facts');
  panel.replaceChildren(definitionList(entries, 'fields'));
  panel.dataset.health = info.health.ok ? 'ok' : 'unavailable';
}
