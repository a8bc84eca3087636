import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JsonValue } from '../eventstore/types.js';
import type { SealedValue } from '../domain/organization/state.js';

const VERSION = 'v1';

/**
 * Seals sensitive values (policy values a clone must not copy, the Duo secret key) with AES-256-GCM
 * before they enter an event, so the event log, read models and logs never hold them in plain text.
 * The key stays outside the log: `ORGCLONE_SECRET_KEY` (64 hex chars) or a key file in the data dir.
 */
export class Sealer {
  private readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the sealing key must be 32 bytes');
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  seal(plain: JsonValue): SealedValue {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return {
      sealed: [
        VERSION,
        this.keyId,
        iv.toString('base64'),
        body.toString('base64'),
        tag.toString('base64'),
      ].join(':'),
    };
  }

  unseal(value: SealedValue): JsonValue {
    const [version, keyId, iv, body, tag] = value.sealed.split(':');
    if (version !== VERSION || keyId !== this.keyId || !iv || !body || !tag) {
      throw new Error('sealed value was not sealed with this key');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as JsonValue;
  }
}

/** Key from `ORGCLONE_SECRET_KEY`, else from `keyFile` (created with a random key on first use, mode 0600). */
export function loadSealer(keyFile: string, env: NodeJS.ProcessEnv = process.env): Sealer {
  const fromEnv = env.ORGCLONE_SECRET_KEY;
  if (fromEnv !== undefined) {
    if (!/^[0-9a-fA-F]{64}$/.test(fromEnv)) throw new Error('ORGCLONE_SECRET_KEY must be 64 hex characters');
    return new Sealer(Buffer.from(fromEnv, 'hex'));
  }
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return new Sealer(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex'));
}
