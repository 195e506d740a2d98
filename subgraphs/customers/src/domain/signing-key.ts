import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { ConfigError, type Logger } from '@commerce/platform';

/**
 * Where the RS256 key that signs access tokens comes from, in this order:
 *  1. `JWT_PRIVATE_KEY` (PEM, PKCS8 preferred; `\n` escapes allowed) — production uses this;
 *  2. outside production, a key file (`JWT_KEY_FILE`, default `<repo>/.data/keys/jwt-private.pem`):
 *     read when it exists, else generated once and written there (mode 0600), so restarts keep
 *     issued tokens valid. In production `JWT_KEY_FILE` is only read (a mounted secret), never
 *     generated; no key at all, or the development key file, is a configuration error.
 * The key id is `JWT_KEY_ID`, else the key's RFC 7638 thumbprint (stable across restarts).
 */
export interface SigningKey {
  privateKey: KeyObject;
  /** public part only (kty, n, e) */
  publicJwk: JWK;
  kid: string;
  source: 'env' | 'file' | 'generated';
  file?: string;
}

export interface SigningKeyOptions {
  nodeEnv: 'development' | 'test' | 'production';
  privateKeyPem?: string | undefined;
  keyId?: string | undefined;
  keyFile?: string | undefined;
}

const MIN_MODULUS_BITS = 2048;

/** The repository root: the nearest directory above this file whose package.json has "workspaces". */
export function findRepoRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, 'utf8')).workspaces) return dir;
      } catch {
        // not the root; keep walking up
      }
    }
    if (path.dirname(dir) === dir) throw new ConfigError(`invalid configuration:\n  JWT_KEY_FILE: no repository root above ${from}; set JWT_KEY_FILE`);
  }
}

export function defaultKeyFile(): string {
  return path.join(findRepoRoot(), '.data', 'keys', 'jwt-private.pem');
}

function parsePrivateKey(pem: string, origin: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem, format: 'pem' });
  } catch {
    // never echo the key material
    throw new ConfigError(`invalid configuration:\n  ${origin}: not a PEM private key`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < MIN_MODULUS_BITS) {
    throw new ConfigError(`invalid configuration:\n  ${origin}: want an RSA key of at least ${MIN_MODULUS_BITS} bits for RS256`);
  }
  return key;
}

async function toSigningKey(privateKey: KeyObject, keyId: string | undefined, source: SigningKey['source'], file?: string): Promise<SigningKey> {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
  const publicJwk: JWK = { kty: jwk.kty, n: jwk.n, e: jwk.e };
  const kid = keyId ?? (await calculateJwkThumbprint(publicJwk, 'sha256'));
  return { privateKey, publicJwk, kid, source, ...(file ? { file } : {}) };
}

async function readKeyFile(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Writes a new key to `file` unless one is there already. Written to a temporary file first and
 * then hard-linked into place (which fails if the target exists), so two processes starting at once
 * never see a half-written key and both end up using the same one.
 */
async function createKeyFile(file: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: MIN_MODULUS_BITS });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(tmp, pem, { mode: 0o600, flag: 'wx' });
  try {
    await fs.link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await fs.unlink(tmp).catch(() => undefined);
  }
}

/** Whether `file` is the key `npm start` generates (`<repo>/.data/keys/jwt-private.pem`). */
function isDevelopmentKeyFile(file: string): boolean {
  try {
    return path.resolve(file) === defaultKeyFile();
  } catch {
    return false; // no repository around (an image without the workspace root): no development key either
  }
}

export async function resolveSigningKey(opts: SigningKeyOptions, logger?: Logger): Promise<SigningKey> {
  if (opts.privateKeyPem) {
    return toSigningKey(parsePrivateKey(opts.privateKeyPem, 'JWT_PRIVATE_KEY'), opts.keyId, 'env');
  }
  if (opts.nodeEnv === 'production') {
    if (opts.keyFile && isDevelopmentKeyFile(opts.keyFile)) {
      throw new ConfigError(`invalid configuration:\n  JWT_KEY_FILE: ${opts.keyFile} is the development key file (generated by npm start); production needs its own key (JWT_PRIVATE_KEY or a mounted secret)`);
    }
    const pem = opts.keyFile ? await readKeyFile(opts.keyFile) : undefined;
    if (!pem) {
      throw new ConfigError('invalid configuration:\n  JWT_PRIVATE_KEY: required in production (PKCS8 PEM of an RSA key), or JWT_KEY_FILE naming an existing key file');
    }
    return toSigningKey(parsePrivateKey(pem, 'JWT_KEY_FILE'), opts.keyId, 'file', opts.keyFile);
  }
  const file = path.resolve(opts.keyFile ?? defaultKeyFile());
  let pem = await readKeyFile(file);
  let source: SigningKey['source'] = 'file';
  if (!pem) {
    await createKeyFile(file);
    pem = await readKeyFile(file);
    source = 'generated';
    if (!pem) throw new Error(`could not create the JWT key file ${file}`);
  }
  const key = await toSigningKey(parsePrivateKey(pem, 'JWT_KEY_FILE'), opts.keyId, source, file);
  logger?.info({ kid: key.kid, file, source }, source === 'generated' ? 'generated a development JWT signing key' : 'using the JWT signing key file');
  return key;
}
