import { MongoClient } from 'mongodb';

export interface MongoServerInfo {
  version?: string;
  /** Set when the server is FerretDB (its buildInfo adds the field). */
  ferretdbVersion?: string;
}

/**
 * Connects, runs `ping` and `buildInfo`, disconnects. Rejects within about timeoutMs if the server
 * cannot be selected (the driver's own retry loop would otherwise wait 30 s).
 */
export async function pingMongo(url: string, timeoutMs: number): Promise<MongoServerInfo> {
  const client = new MongoClient(url, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs * 2,
  });
  try {
    await client.connect();
    const admin = client.db('admin');
    await admin.command({ ping: 1 });
    const info = await admin.command({ buildInfo: 1 }).catch(() => undefined);
    return {
      version: typeof info?.version === 'string' ? info.version : undefined,
      ferretdbVersion: typeof info?.ferretdbVersion === 'string' ? info.ferretdbVersion : undefined,
    };
  } finally {
    // FerretDB does not implement endSessions, so close() may complain; that is harmless here.
    await client.close().catch(() => undefined);
  }
}

export function describeMongo(info: MongoServerInfo): string {
  if (info.ferretdbVersion) return `FerretDB ${info.ferretdbVersion}`;
  return info.version ? `MongoDB ${info.version}` : 'MongoDB';
}

/** The URL of a server on loopback, without a database name. */
export function localMongoUrl(port: number): string {
  return `mongodb://127.0.0.1:${port}/?directConnection=true`;
}
