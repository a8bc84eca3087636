/**
 * What every application service does around a write: stamp the events with who asked and why,
 * then answer only once the read models show the write (SPEC §6: a mutation's response reflects
 * its own write).
 */
import type { ProjectionRunner } from '../projections/projection-runner.js';
import type { CommandMetadata } from './command-handler.js';
import type { Caller } from './organizations.js';

/** How long a write waits for the read models to show it, unless the service is told otherwise. */
export const DEFAULT_PROJECTION_TIMEOUT_MS = 5_000;

/** The caller's request correlates and causes every event of the command. */
export function metadataOf(caller: Caller): CommandMetadata {
  return {
    correlationId: caller.requestId,
    causationId: caller.requestId,
    actor: caller.principal.administratorId,
  };
}

/** Waits until the read models reached `position` (nothing to wait for when nothing was appended). */
export async function waitForOwnWrite(
  projections: Pick<ProjectionRunner, 'waitForPosition'> | undefined,
  position: bigint | null,
  timeoutMs = DEFAULT_PROJECTION_TIMEOUT_MS,
): Promise<void> {
  if (position === null || !projections) return;
  await projections.waitForPosition(position, { timeoutMs });
}
