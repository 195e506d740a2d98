import { readFile } from 'node:fs/promises';
import { Kind, parse, type ConstValueNode, type DocumentNode } from 'graphql';
import { ConfigError } from '@commerce/platform';
import { subgraphUrlVar } from './config.ts';

export interface SubgraphEndpoint {
  /** the subgraph's name as composed (`catalog`) */
  name: string;
  /** where the router sends its fetches: the `<NAME>_URL` override, else the URL in the supergraph */
  url: string;
}

export interface Supergraph {
  sdl: string;
  subgraphs: SubgraphEndpoint[];
}

function stringArg(value: ConstValueNode | undefined): string | undefined {
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** The `join__Graph` enum lists every subgraph with its name and URL. */
export function subgraphsOf(document: DocumentNode): Array<{ name: string; url: string }> {
  const out: Array<{ name: string; url: string }> = [];
  for (const def of document.definitions) {
    if (def.kind !== Kind.ENUM_TYPE_DEFINITION || def.name.value !== 'join__Graph') continue;
    for (const value of def.values ?? []) {
      const directive = value.directives?.find((d) => d.name.value === 'join__graph');
      const name = stringArg(directive?.arguments?.find((a) => a.name.value === 'name')?.value);
      const url = stringArg(directive?.arguments?.find((a) => a.name.value === 'url')?.value);
      if (name !== undefined) out.push({ name, url: url ?? '' });
    }
  }
  return out;
}

/**
 * Reads the committed supergraph (composed by `npm run compose`) and resolves each subgraph's
 * URL, applying `<NAME>_URL` overrides from the config.
 */
export async function loadSupergraph(path: string, overrides: Record<string, string>): Promise<Supergraph> {
  let sdl: string;
  try {
    sdl = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`supergraph not readable at ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): run \`npm run compose\` or set SUPERGRAPH_PATH`);
  }
  return { sdl, subgraphs: resolveSubgraphs(sdl, overrides) };
}

export function resolveSubgraphs(sdl: string, overrides: Record<string, string>): SubgraphEndpoint[] {
  const document = parse(sdl, { noLocation: true });
  const graphs = subgraphsOf(document);
  if (graphs.length === 0) throw new ConfigError('the supergraph declares no subgraphs (no join__Graph enum): is it a composed supergraph?');
  return graphs.map(({ name, url }) => {
    const override = overrides[subgraphUrlVar(name).slice(0, -'_URL'.length)];
    const resolved = override ?? url;
    if (!resolved) throw new ConfigError(`subgraph ${name} has no URL in the supergraph: set ${subgraphUrlVar(name)}`);
    return { name, url: resolved };
  });
}
