import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { errorMessage, InfrastructureError } from './errors.ts';

/** Something this bootstrap started and must stop again. */
export interface Stoppable {
  name: string;
  stop(): Promise<void>;
  /** lets the process outlive this one (no exit-hook signal, no reference keeping us alive) */
  detach?(): void;
}

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all. */
  error?: Error;
}

export interface ManagedProcess extends Stoppable {
  pid: number | undefined;
  logFile: string;
  /** Resolves when the process has exited (or failed to spawn); never rejects. */
  exited: Promise<ExitResult>;
  isRunning(): boolean;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called once if the process exits without stop() having been called. */
  onUnexpectedExit?: (description: string) => void;
}

const STOP_GRACE_MS = 5_000;

// Children still running, so that they can be signalled when this process exits. Without it a
// crashed `npm start` or test run would leave servers holding ports and data directories.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: a signal is all that can be sent from here.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGTERM');
  });
}

/** Absolute path of an executable found on env.PATH, or undefined. */
/** A TCP port free on 127.0.0.1 right now (the OS picks it), for a server a test or tool starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function findExecutable(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/**
 * Starts a long-running server with stdout and stderr appended to logFile (a terminal would
 * interleave them with the app's own output, and a pipe nobody reads eventually blocks the child).
 */
export function startProcess(opts: StartOptions): ManagedProcess {
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const fd = fs.openSync(opts.logFile, 'a');
  fs.writeSync(fd, `\n--- ${new Date().toISOString()} ${opts.command} ${opts.args.join(' ')}\n`);
  let child: ChildProcess;
  try {
    child = spawn(opts.command, opts.args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    fs.closeSync(fd); // the child has its own copy
  }
  installExitHook();
  live.add(child);

  let stopping = false;
  let running = true;
  const exited = new Promise<ExitResult>((resolve) => {
    child.once('error', (error) => {
      running = false;
      live.delete(child);
      resolve({ code: null, signal: null, error });
    });
    child.once('exit', (code, signal) => {
      running = false;
      live.delete(child);
      if (!stopping) opts.onUnexpectedExit?.(`${opts.name} exited unexpectedly (${describeExit(code, signal)}); see ${opts.logFile}`);
      resolve({ code, signal });
    });
  });

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      if (!running) return;
      child.kill('SIGTERM');
      const grace = new Promise<'timeout'>((resolve) => setTimeout(resolve, STOP_GRACE_MS, 'timeout').unref());
      if ((await Promise.race([exited, grace])) === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    })());

  const detach = () => {
    live.delete(child);
    child.unref();
  };
  return { name: opts.name, pid: child.pid, logFile: opts.logFile, exited, isRunning: () => running, stop, detach };
}

export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/** The last lines of a log file, for error messages; '' if it cannot be read. */
export function readLogTail(file: string, maxLines = 15): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const length = Math.min(size, 8192);
      const buffer = Buffer.alloc(length);
      fs.readSync(fd, buffer, 0, length, size - length);
      return buffer.toString('utf8').trimEnd().split('\n').slice(-maxLines).join('\n');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

/** "<message>\n--- last lines of <file>:\n<tail>" (or just the message if the log is empty). */
export function withLogTail(message: string, file: string): string {
  const tail = readLogTail(file);
  return tail ? `${message}\n--- last lines of ${file}:\n${tail}` : message;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it returns true. Fails fast if the process dies (quoting its log), and
 * after timeoutMs with the last check error and the log tail: a server that never becomes ready
 * must not hang `npm start` or the test run.
 */
export async function waitForReady(proc: ManagedProcess, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (!proc.isRunning()) {
      const { code, signal, error } = await proc.exited;
      const why = error ? `could not be started: ${error.message}` : `exited during start (${describeExit(code, signal)})`;
      throw new InfrastructureError(withLogTail(`${proc.name} ${why}`, proc.logFile));
    }
    try {
      if (await check()) return;
    } catch (err) {
      lastError = errorMessage(err);
    }
    await sleep(150);
  }
  const last = lastError ? ` (last check: ${lastError})` : '';
  throw new InfrastructureError(withLogTail(`${proc.name} did not become ready within ${timeoutMs / 1000} s${last}`, proc.logFile));
}
