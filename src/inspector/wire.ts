// What the page reads from the server (docs/http.md): the server's own types for /v1/node and
// /v1/stats, and the JSON body of GET /v1/ids.
export type { NodeFacts as NodeInfo, StatsAnswer as Stats } from '../server/inspector/inspectorWire.js';

export interface IdsAnswer {
  readonly ids: readonly string[];
}
