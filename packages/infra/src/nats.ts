import fs from 'node:fs';
import path from 'node:path';
import type { ResolveContext } from './context.ts';
import { errorMessage, InfrastructureError, redactUrl } from './errors.ts';
import { canConnect, exchange, hostOf } from './net.ts';
import { findExecutable, startProcess, waitForReady } from './process.ts';

const CHECK_MS = 2_000;
const READY_MS = 15_000;
const HOW_TO =
  'NATS with JetStream is needed: set NATS_URL, run `docker compose up -d nats`, or install nats-server';

export interface NatsInfo {
  version?: string;
  jetstream?: boolean;
}

/** A NATS server speaks first: one `INFO {json}` line, which also says whether JetStream is on. */
export function readNatsInfo(host: string, port: number, timeoutMs = CHECK_MS): Promise<NatsInfo> {
  return exchange({
    host,
    port,
    timeoutMs,
    parse: (received) => {
      const end = received.indexOf('\r\n');
      if (end < 0) return undefined;
      const line = received.slice(0, end);
      if (!line.startsWith('INFO ')) throw new Error(`not a NATS server (it said ${JSON.stringify(line.slice(0, 80))})`);
      return JSON.parse(line.slice(5)) as NatsInfo;
    },
  });
}

/** NATS_URL, else a server on 127.0.0.1:<natsPort>, else nats-server from PATH. */
export async function resolveNats(ctx: ResolveContext): Promise<string> {
  const fromEnv = ctx.env.NATS_URL;
  if (fromEnv) {
    await checkNatsUrl(fromEnv);
    ctx.log(`NATS: NATS_URL ${redactUrl(fromEnv)}`);
    return fromEnv;
  }

  const port = ctx.natsPort;
  const url = `nats://127.0.0.1:${port}`;
  if (await canConnect('127.0.0.1', port, 500)) {
    let info: NatsInfo;
    try {
      info = await readNatsInfo('127.0.0.1', port);
    } catch (err) {
      throw new InfrastructureError(`127.0.0.1:${port} is in use but is not a NATS server (${errorMessage(err)}). ${HOW_TO}.`);
    }
    if (!info.jetstream) {
      throw new InfrastructureError(`the NATS server on 127.0.0.1:${port} runs without JetStream: restart it with \`-js\`, or set NATS_URL to a server with JetStream`);
    }
    ctx.log(`NATS: using the nats-server ${info.version ?? ''} already listening on 127.0.0.1:${port}`);
    return url;
  }

  const bin = findExecutable('nats-server', ctx.env);
  if (!bin) throw new InfrastructureError(`${HOW_TO} (nothing listens on 127.0.0.1:${port} and nats-server is not on PATH).`);
  const storeDir = path.join(ctx.dataDir, 'nats');
  fs.mkdirSync(storeDir, { recursive: true });
  const proc = startProcess({
    name: 'nats-server',
    command: bin,
    args: ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir],
    cwd: ctx.dataDir,
    env: ctx.env,
    logFile: path.join(ctx.dataDir, 'nats.log'),
    onUnexpectedExit: ctx.log,
  });
  ctx.track(proc);
  await waitForReady(proc, READY_MS, async () => {
    if (!(await canConnect('127.0.0.1', port, 300))) return false;
    if (!(await readNatsInfo('127.0.0.1', port)).jetstream) throw new Error('JetStream is not enabled');
    return true;
  });
  ctx.log(`NATS: started ${bin} with JetStream on 127.0.0.1:${port} (store ${storeDir}, log ${proc.logFile})`);
  return url;
}

/** NATS_URL may list several servers ("nats://a:4222,nats://b:4222"); one usable is enough. */
async function checkNatsUrl(value: string): Promise<void> {
  const problems: string[] = [];
  for (const server of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    try {
      const url = new URL(server.includes('://') ? server : `nats://${server}`);
      const info = await readNatsInfo(hostOf(url), Number(url.port || 4222), CHECK_MS);
      if (info.jetstream) return;
      problems.push(`${redactUrl(server)} has JetStream off`);
    } catch (err) {
      problems.push(`${redactUrl(server)}: ${errorMessage(err)}`);
    }
  }
  throw new InfrastructureError(`NATS_URL=${redactUrl(value)} is not usable (${problems.join('; ') || 'no server in it'}). ${HOW_TO}.`);
}
