import { readdirSync, readFileSync } from 'node:fs';
import type { Cluster } from './cluster.ts';

/**
 * What a unit of work (an order, an event) costs the database, measured in the same run: the
 * commands the services send (their `mongodb_commands_total`) and the CPU the database server's
 * processes use meanwhile (FerretDB and its PostgreSQL, or mongod, when they run on this machine).
 * Together they give the ceiling the database alone sets on this machine's cores.
 */
const DB_PROCESSES = /^(ferretdb|postgres|mongod)$/;
const TICK_MS = 10; // Linux USER_HZ = 100

/** CPU time (ms) used so far by the database server's processes on this machine; null where /proc is not there. */
export function dbCpuMs(): number | null {
  let ticks = 0;
  let found = false;
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return null;
  }
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!DB_PROCESSES.test(comm)) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
      found = true;
    } catch {
      /* exited meanwhile */
    }
  }
  return found ? ticks * TICK_MS : null;
}

/** Database commands sent so far by every subgraph of the cluster. */
export async function commandsSent(cluster: Cluster): Promise<number> {
  let total = 0;
  for (const p of Object.values(cluster.subgraphs)) {
    const text = await (await fetch(`${p.origin}/metrics`)).text();
    for (const line of text.split('\n')) if (line.startsWith('mongodb_commands_total{')) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

export interface DbCost {
  /** database commands per unit */
  commands: number;
  /** database server CPU per unit (ms); NaN when it cannot be measured here */
  cpuMs: number;
  /** units per second the database alone could serve with every core of this machine */
  ceiling: number;
}

export function dbCost(units: number, commands: number, cpuMs: number | null, cores: number): DbCost {
  const per = cpuMs === null ? NaN : cpuMs / units;
  return { commands: commands / units, cpuMs: per, ceiling: (cores * 1000) / per };
}
