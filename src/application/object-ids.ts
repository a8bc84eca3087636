import { randomBytes } from 'node:crypto';

/** A new random id in JumpCloud's shape (24 lower-case hex characters, like a MongoDB ObjectId). */
export function newObjectId(): string {
  return randomBytes(12).toString('hex');
}
