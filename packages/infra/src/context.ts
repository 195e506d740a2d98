import type { Stoppable } from './process.ts';

/** What every resolver gets: the options, made concrete, and a place to register what it starts. */
export interface ResolveContext {
  rootDir: string;
  /** Absolute; data directories and log files of started servers go here. */
  dataDir: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  mongoPort: number;
  existingMongoPort: number;
  natsPort: number;
  redisPort: number;
  /** Registers something started, so that stop() (or a failure elsewhere) stops it. */
  track(started: Stoppable): void;
}
