import { describe, expect, it } from 'vitest';
import { ConfigError } from '@commerce/platform';
import { defaultKeyFile, resolveSigningKey } from '../src/domain/signing-key.ts';

/** Security review finding 8: the key `npm start` generates never signs production tokens. */
describe('resolveSigningKey in production', () => {
  it('refuses the development key file (<repo>/.data/keys/jwt-private.pem), however it is spelled', async () => {
    await expect(resolveSigningKey({ nodeEnv: 'production', keyFile: defaultKeyFile() })).rejects.toThrow(ConfigError);
    await expect(resolveSigningKey({ nodeEnv: 'production', keyFile: `${defaultKeyFile()}/../jwt-private.pem` })).rejects.toThrow(/JWT_KEY_FILE: .* is the development key file/);
  });
});
