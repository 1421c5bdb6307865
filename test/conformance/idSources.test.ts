import { createClient } from '../../src/client/createClient.js';
import { LocalIdSource } from '../../src/client/LocalIdSource.js';
import { createGenerator } from '../../src/index.js';
import { TcpIdServer } from '../../src/server/TcpIdServer.js';
import { runIdSourceConformance } from './idSourceConformance.js';

const HID = '0242ac110002';

runIdSourceConformance('LocalIdSource (overt)', async () => ({
  source: new LocalIdSource(createGenerator({ hardwareId: HID })),
  expectedIdSize: 16,
}));

runIdSourceConformance('LocalIdSource (snowflake)', async () => ({
  source: new LocalIdSource(createGenerator({ layout: 'snowflake', machineId: 3 })),
  expectedIdSize: 8,
}));

runIdSourceConformance('LocalIdSource (uuidv7)', async () => ({
  source: new LocalIdSource(createGenerator({ layout: 'uuidv7', hardwareId: HID })),
  expectedIdSize: 16,
}));

for (const layout of ['overt', 'snowflake', 'uuidv7'] as const) {
  runIdSourceConformance(`IdClient over TCP (${layout})`, async () => {
    const generator = layout === 'snowflake' ? createGenerator({ layout, machineId: 3 }) : createGenerator({ layout, hardwareId: HID });
    const server = new TcpIdServer({ service: generator, authToken: 'token' });
    const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
    return {
      source: createClient({ servers: [{ address: `127.0.0.1:${port}`, authToken: 'token' }], layout }),
      expectedIdSize: generator.idSize,
      cleanup: () => server.close({ timeoutMs: 1000 }),
    };
  });
}
