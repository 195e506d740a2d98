import path from 'node:path';
import type { ResolveContext } from './context.ts';
import { errorMessage, InfrastructureError, redactUrl } from './errors.ts';
import { canConnect, exchange, hostOf } from './net.ts';
import { findExecutable, startProcess, waitForReady } from './process.ts';

const CHECK_MS = 2_000;
const READY_MS = 10_000;
const HOW_TO = 'Redis is needed: set REDIS_URL, run `docker compose up -d redis`, or install redis-server';

/** One RESP command (arrays of bulk strings: safe for passwords with spaces). */
function command(...parts: string[]): string {
  return `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
}

/**
 * Sends AUTH (if the URL has a password) and PING over a raw connection; resolves on +PONG.
 * Raw RESP rather than ioredis: a client library would keep reconnecting in the background.
 */
export function pingRedis(redisUrl: string, timeoutMs = CHECK_MS): Promise<void> {
  const url = new URL(redisUrl);
  const password = decodeURIComponent(url.password);
  const username = decodeURIComponent(url.username);
  const commands: string[] = [];
  if (password) commands.push(username ? command('AUTH', username, password) : command('AUTH', password));
  commands.push(command('PING'));
  return exchange({
    host: hostOf(url),
    port: Number(url.port || 6379),
    tls: url.protocol === 'rediss:',
    send: commands.join(''),
    timeoutMs,
    parse: (received) => {
      const complete = received.split('\r\n').slice(0, -1); // the last piece is an unfinished line
      for (const line of complete) {
        if (line.startsWith('-')) throw new Error(line.slice(1));
        if (!line.startsWith('+')) throw new Error(`not a Redis server (it said ${JSON.stringify(line.slice(0, 80))})`);
      }
      if (complete.length < commands.length) return undefined;
      if (complete[commands.length - 1] !== '+PONG') throw new Error(`unexpected answer to PING: ${complete[commands.length - 1]}`);
      return true;
    },
  }).then(() => undefined);
}

/** REDIS_URL, else a server on 127.0.0.1:<redisPort>, else redis-server from PATH. */
export async function resolveRedis(ctx: ResolveContext): Promise<string> {
  const fromEnv = ctx.env.REDIS_URL;
  if (fromEnv) {
    try {
      await pingRedis(fromEnv);
    } catch (err) {
      throw new InfrastructureError(`REDIS_URL=${redactUrl(fromEnv)} does not answer PING: ${errorMessage(err)}. ${HOW_TO}.`);
    }
    ctx.log(`Redis: REDIS_URL ${redactUrl(fromEnv)}`);
    return fromEnv;
  }

  const port = ctx.redisPort;
  const url = `redis://127.0.0.1:${port}`;
  if (await canConnect('127.0.0.1', port, 500)) {
    try {
      await pingRedis(url);
    } catch (err) {
      throw new InfrastructureError(`127.0.0.1:${port} is in use but does not answer a Redis PING (${errorMessage(err)}). ${HOW_TO}.`);
    }
    ctx.log(`Redis: using the server already listening on 127.0.0.1:${port}`);
    return url;
  }

  const bin = findExecutable('redis-server', ctx.env);
  if (!bin) throw new InfrastructureError(`${HOW_TO} (nothing listens on 127.0.0.1:${port} and redis-server is not on PATH).`);
  const proc = startProcess({
    name: 'redis-server',
    command: bin,
    // No persistence: Redis holds caches, rate-limit counters and read models rebuilt from events.
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    cwd: ctx.dataDir,
    env: ctx.env,
    logFile: path.join(ctx.dataDir, 'redis.log'),
    onUnexpectedExit: ctx.log,
  });
  ctx.track(proc);
  await waitForReady(proc, READY_MS, async () => {
    if (!(await canConnect('127.0.0.1', port, 300))) return false;
    await pingRedis(url);
    return true;
  });
  ctx.log(`Redis: started ${bin} on 127.0.0.1:${port} (log ${proc.logFile})`);
  return url;
}
