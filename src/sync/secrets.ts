/**
 * Credentials at rest: AES-256-GCM with a 32-byte key from configuration (`ABGLEICH_SECRET_KEY`, or a key
 * file beside the database, see docs/tryton.md). The stored form is `v1:<iv>:<tag>:<ciphertext>` in
 * base64; a wrong key fails authentication instead of giving garbage. Secrets are never printed or logged.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { fail } from '../core/errors.js';
import type { Executor } from '../store/executor.js';

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32)
    fail('secret_key_missing', 'The secret key must be 32 bytes (64 hex digits or 44 base64 characters).');
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), data]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64')))
        .join(':');
    },
    open(sealed) {
      const [version, iv, tag, data] = sealed.split(':');
      if (version !== 'v1' || !iv || !tag || data === undefined)
        fail('secret_key_missing', 'A stored credential is not in a form this version can read.');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        return fail(
          'secret_key_missing',
          'The stored credentials cannot be decrypted with this secret key (was ABGLEICH_SECRET_KEY or the key file changed?). Set the password again with `abgleich integration set NAME --password-env VAR`.',
        );
      }
    },
  };
}

export async function storeSecret(
  db: Executor,
  box: SecretBox,
  integrationId: number,
  plain: string,
  now: string,
): Promise<void> {
  const secret = box.seal(plain);
  await db
    .insertInto('integration_secret')
    .values({ integration_id: integrationId, secret, updated_at: now })
    .onConflict((oc) => oc.column('integration_id').doUpdateSet({ secret, updated_at: now }))
    .execute();
}

export async function readSecret(
  db: Executor,
  box: SecretBox,
  integrationId: number,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('integration_secret')
    .select('secret')
    .where('integration_id', '=', integrationId)
    .executeTakeFirst();
  return row ? box.open(row.secret) : undefined;
}
