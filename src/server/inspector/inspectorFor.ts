import { InspectorEndpoints } from '../http/InspectorEndpoints.js';
import type { ServerConfig } from '../ServerConfig.js';
import type { InspectedNode } from '../startIdNode.js';
import { nodeFactsOf } from './nodeFacts.js';
import type { StatsRecorder } from './StatsRecorder.js';

/** The inspector of a running `flakery serve`: its node's facts and the observer's samples. */
export function inspectorFor(config: ServerConfig, server: InspectedNode, stats: StatsRecorder, version: string): InspectorEndpoints {
  const node = nodeFactsOf(server.service, () => server.health(), {
    version,
    hardwareIdType: config.hardwareIdType,
    workerIdSource: config.workerId === undefined ? undefined : config.workerId.source === 'config' ? 'fixed' : 'lease',
    startedUnixMs: Date.now(),
    authRequired: config.authToken !== undefined,
  });
  return new InspectorEndpoints({ node, stats: () => stats.samples() });
}
