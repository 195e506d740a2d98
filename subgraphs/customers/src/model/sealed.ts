import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets the service must be able to read back (signing keys, OAuth client secrets) are stored
 * sealed: AES-256-GCM under a key derived (HKDF-SHA256) from JWT_KEYRING_SECRET and a purpose, the
 * record's id as additional data (a sealed value copied onto another record does not open). A
 * database dump alone reveals none of them.
 */
export interface Sealer {
  seal(plain: string, id: string): string;
  /** throws when the secret or the id is not the one it was sealed with */
  open(sealed: string, id: string): string;
}

export function createSealer(secret: string, purpose: string): Sealer {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from('commerce-customers'), Buffer.from(purpose), 32));
  return {
    seal(plain, id) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(id));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.');
    },
    open(sealed, id) {
      const [iv, tag, data] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
      const decipher = createDecipheriv('aes-256-gcm', key, iv!);
      decipher.setAAD(Buffer.from(id));
      decipher.setAuthTag(tag!);
      return Buffer.concat([decipher.update(data!), decipher.final()]).toString('utf8');
    },
  };
}
