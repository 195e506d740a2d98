import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './config.ts';
import type { Logger } from './logger.ts';

/**
 * The keys of the router-signed context (`x-commerce-context`, see trust.ts). Asymmetric: the
 * router alone holds the private key and signs; every subgraph holds the public key only and
 * verifies, so a subgraph that is compromised can read what reaches it but cannot mint a context
 * (an ADMIN one, say) that another subgraph would accept (security review finding 5).
 *
 * Ed25519 (JWS `EdDSA`) or ECDSA P-256 (`ES256`), as PEM (PKCS8 private / SPKI public; `\n`
 * escapes allowed, for env files) or as a JWK in JSON:
 *  - the router: `ROUTER_SIGNING_KEY` (the private key);
 *  - subgraphs: `ROUTER_PUBLIC_KEY` (the public key; a private key there is refused, so the private
 *    key can never be handed to a subgraph by mistake).
 * Outside production, either falls back to a development key pair generated once under
 * `<repo>/.data/keys/router/` (the router reads only `signing-key.pem`, subgraphs only
 * `public-key.pem`). In production both are required, and the development pair is refused.
 */
export type RouterKeyAlgorithm = 'EdDSA' | 'ES256';

/** The router's signing key. Only the router (and test harnesses acting as it) holds one. */
export interface RouterSigningKey {
  readonly use: 'sign';
  readonly privateKey: KeyObject;
  readonly alg: RouterKeyAlgorithm;
}

/** What a subgraph holds: verifies router contexts, cannot sign one. */
export interface RouterVerificationKey {
  readonly use: 'verify';
  readonly publicKey: KeyObject;
  readonly alg: RouterKeyAlgorithm;
}

function algorithmOf(key: KeyObject, origin: string): RouterKeyAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new ConfigError(`invalid configuration:\n  ${origin}: want an Ed25519 (EdDSA) or P-256 (ES256) key, found ${key.asymmetricKeyType ?? 'a symmetric key'}`);
}

type KeyInput = { key: string; format: 'pem' } | { key: JsonWebKey; format: 'jwk' };

/** PEM (with `\n` escapes unfolded) or a JWK in JSON; never echoes the key material. */
function keyInput(value: string, origin: string): { input: KeyInput; isPrivate: boolean } {
  const text = value.trim();
  if (text.startsWith('{')) {
    let jwk: JsonWebKey;
    try {
      jwk = JSON.parse(text) as JsonWebKey;
    } catch {
      throw new ConfigError(`invalid configuration:\n  ${origin}: neither a PEM key nor a JWK (JSON)`);
    }
    return { input: { key: jwk, format: 'jwk' }, isPrivate: typeof jwk.d === 'string' };
  }
  const pem = text.includes('\\n') ? text.replace(/\\n/g, '\n') : text;
  return { input: { key: pem, format: 'pem' }, isPrivate: /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem) };
}

const signingCache = new Map<string, RouterSigningKey>();
const verificationCache = new Map<string, RouterVerificationKey>();

/** The router's private key from ROUTER_SIGNING_KEY (PEM or JWK). */
export function parseRouterSigningKey(value: string, origin = 'ROUTER_SIGNING_KEY'): RouterSigningKey {
  const cached = signingCache.get(value);
  if (cached) return cached;
  const { input, isPrivate } = keyInput(value, origin);
  if (!isPrivate) throw new ConfigError(`invalid configuration:\n  ${origin}: not a private key (the router signs with the private key; subgraphs get the public one as ROUTER_PUBLIC_KEY)`);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(input);
  } catch {
    throw new ConfigError(`invalid configuration:\n  ${origin}: not a readable private key (PKCS8 PEM or JWK)`);
  }
  const key: RouterSigningKey = Object.freeze({ use: 'sign', privateKey, alg: algorithmOf(privateKey, origin) });
  signingCache.set(value, key);
  return key;
}

/** The router's public key from ROUTER_PUBLIC_KEY (PEM or JWK); private key material is refused. */
export function parseRouterPublicKey(value: string, origin = 'ROUTER_PUBLIC_KEY'): RouterVerificationKey {
  const cached = verificationCache.get(value);
  if (cached) return cached;
  const { input, isPrivate } = keyInput(value, origin);
  if (isPrivate) {
    throw new ConfigError(`invalid configuration:\n  ${origin}: holds a private key; a subgraph gets only the router's public key (the private one, ROUTER_SIGNING_KEY, stays with the router)`);
  }
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(input);
  } catch {
    throw new ConfigError(`invalid configuration:\n  ${origin}: not a readable public key (SPKI PEM or JWK)`);
  }
  const key: RouterVerificationKey = Object.freeze({ use: 'verify', publicKey, alg: algorithmOf(publicKey, origin) });
  verificationCache.set(value, key);
  return key;
}

/** The verification key that belongs to a signing key (the router's own checks, tests). */
export function verificationKeyOf(key: RouterSigningKey): RouterVerificationKey {
  return Object.freeze({ use: 'verify', publicKey: createPublicKey(key.privateKey), alg: key.alg });
}

/** A new Ed25519 key pair as PEM strings (development keys, tests, `openssl genpkey -algorithm ed25519` does the same). */
export function generateRouterKeyPair(): { signingKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    signingKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

/** The nearest directory above this file whose package.json declares workspaces, if any (none in an image without the workspace root). */
function repoRoot(): string | undefined {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, 'utf8')).workspaces) return dir;
      } catch {
        // not the root; keep walking up
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

export const DEV_ROUTER_SIGNING_KEY_FILE = 'signing-key.pem';
export const DEV_ROUTER_PUBLIC_KEY_FILE = 'public-key.pem';

/** `<repo>/.data/keys/router`: where the development key pair lives. */
export function devRouterKeyDir(): string | undefined {
  const root = repoRoot();
  return root ? path.join(root, '.data', 'keys', 'router') : undefined;
}

/**
 * Creates the development key pair in `dir` unless it is there. Both files are written into a
 * temporary directory that is then renamed into place (which fails if `dir` exists), so processes
 * starting at once never see half a pair and all end up with the same one.
 */
export async function ensureDevRouterKeys(dir: string): Promise<'generated' | 'existing'> {
  if (existsSync(path.join(dir, DEV_ROUTER_PUBLIC_KEY_FILE))) return 'existing';
  await fs.mkdir(path.dirname(dir), { recursive: true, mode: 0o700 });
  const tmp = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.mkdir(tmp, { mode: 0o700 });
  try {
    const pair = generateRouterKeyPair();
    await fs.writeFile(path.join(tmp, DEV_ROUTER_SIGNING_KEY_FILE), pair.signingKey, { mode: 0o600, flag: 'wx' });
    await fs.writeFile(path.join(tmp, DEV_ROUTER_PUBLIC_KEY_FILE), pair.publicKey, { mode: 0o644, flag: 'wx' });
    await fs.rename(tmp, dir);
    return 'generated';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTEMPTY') return 'existing'; // another process won
    throw err;
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

export interface RouterKeyOptions {
  nodeEnv: 'development' | 'test' | 'production';
  /** the env value (ROUTER_SIGNING_KEY / ROUTER_PUBLIC_KEY), if set */
  value?: string | undefined;
  /** where the development pair lives (default devRouterKeyDir()) */
  devKeyDir?: string | undefined;
}

/** Whether `key` is the development pair's (production refuses it, however it got there). */
function isDevelopmentKey(publicKey: KeyObject, devKeyDir: string | undefined): boolean {
  const dir = devKeyDir ?? devRouterKeyDir();
  if (!dir) return false;
  try {
    return createPublicKey(readFileSync(path.join(dir, DEV_ROUTER_PUBLIC_KEY_FILE), 'utf8')).equals(publicKey);
  } catch {
    return false; // no development pair on this machine
  }
}

async function devKeyFile(opts: RouterKeyOptions, file: string, logger?: Logger): Promise<string> {
  const dir = opts.devKeyDir ?? devRouterKeyDir();
  if (!dir) throw new ConfigError('invalid configuration:\n  ROUTER_SIGNING_KEY / ROUTER_PUBLIC_KEY: required (no repository here to keep a development key pair in)');
  const outcome = await ensureDevRouterKeys(dir);
  if (outcome === 'generated') logger?.info({ dir }, 'generated the development key pair of the router context');
  return fs.readFile(path.join(dir, file), 'utf8');
}

/** The router's signing key: ROUTER_SIGNING_KEY, else (outside production) the development pair's. */
export async function resolveRouterSigningKey(opts: RouterKeyOptions, logger?: Logger): Promise<RouterSigningKey> {
  if (opts.value) {
    const key = parseRouterSigningKey(opts.value);
    if (opts.nodeEnv === 'production' && isDevelopmentKey(createPublicKey(key.privateKey), opts.devKeyDir)) {
      throw new ConfigError('invalid configuration:\n  ROUTER_SIGNING_KEY: is the development key (.data/keys/router, generated by npm start); production needs its own (openssl genpkey -algorithm ed25519)');
    }
    return key;
  }
  if (opts.nodeEnv === 'production') {
    throw new ConfigError('invalid configuration:\n  ROUTER_SIGNING_KEY: required in production (the private key of the router context, PKCS8 PEM or JWK: openssl genpkey -algorithm ed25519)');
  }
  return parseRouterSigningKey(await devKeyFile(opts, DEV_ROUTER_SIGNING_KEY_FILE, logger), `${DEV_ROUTER_SIGNING_KEY_FILE} (development key)`);
}

/** A subgraph's verification key: ROUTER_PUBLIC_KEY, else (outside production) the development pair's public key. */
export async function resolveRouterPublicKey(opts: RouterKeyOptions, logger?: Logger): Promise<RouterVerificationKey> {
  if (opts.value) {
    const key = parseRouterPublicKey(opts.value);
    if (opts.nodeEnv === 'production' && isDevelopmentKey(key.publicKey, opts.devKeyDir)) {
      throw new ConfigError('invalid configuration:\n  ROUTER_PUBLIC_KEY: is the development key (.data/keys/router, generated by npm start); production needs the public key of its own ROUTER_SIGNING_KEY');
    }
    return key;
  }
  if (opts.nodeEnv === 'production') {
    throw new ConfigError('invalid configuration:\n  ROUTER_PUBLIC_KEY: required in production (the public key of the router\'s ROUTER_SIGNING_KEY, SPKI PEM or JWK: openssl pkey -pubout)');
  }
  return parseRouterPublicKey(await devKeyFile(opts, DEV_ROUTER_PUBLIC_KEY_FILE, logger), `${DEV_ROUTER_PUBLIC_KEY_FILE} (development key)`);
}
