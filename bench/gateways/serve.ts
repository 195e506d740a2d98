/**
 * Runs one baseline gateway as its own process (so it has an event loop of its own, as our router
 * does): GATEWAY=apollo|hive, PORT, ROUTER_SIGNING_KEY, SUBGRAPH_URLS (JSON name → URL).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/subgraphs.ts';
import { startPlainApolloGateway } from './apollo-plain.ts';
import { startHiveGateway } from './hive.ts';

const kind = process.env.GATEWAY;
const opts = {
  supergraphSdl: readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8'),
  subgraphUrls: JSON.parse(process.env.SUBGRAPH_URLS ?? '{}') as Record<string, string>,
  routerSigningKey: process.env.ROUTER_SIGNING_KEY ?? '',
  port: Number(process.env.PORT ?? 0),
};
const gateway = kind === 'hive' ? await startHiveGateway(opts) : kind === 'apollo' ? await startPlainApolloGateway(opts) : null;
if (!gateway) {
  console.error('GATEWAY must be apollo or hive');
  process.exit(2);
}
console.log(`${kind} gateway on ${gateway.url}`);
const stop = () => void gateway.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
