/** Stream names of the aggregates (SPEC §4), spelled in one place for writers and projections alike. */

export const ORGANIZATION_STREAM_PREFIX = 'organization-';
export const PROVIDER_STREAM_PREFIX = 'provider-';

export function organizationStreamId(organizationId: string): string {
  return `${ORGANIZATION_STREAM_PREFIX}${organizationId}`;
}

export function providerStreamId(providerId: string): string {
  return `${PROVIDER_STREAM_PREFIX}${providerId}`;
}

/** The aggregate id of a stream named `{prefix}{id}`. */
export function aggregateIdOf(streamId: string, prefix: string): string {
  if (!streamId.startsWith(prefix)) throw new Error(`stream ${streamId} does not start with ${prefix}`);
  return streamId.slice(prefix.length);
}
