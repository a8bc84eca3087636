import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startApiServer, type ApiServer } from './support/api-server.js';
import { seedOrganization } from './support/seed.js';

/** Every nested list of every organization: what a dashboard over all organizations asks. */
const EVERYTHING = `
  query Everything {
    organizations(first: 100) {
      edges { node {
        id
        commands { id deviceGroupIds }
        policies { id values { configFieldID value sensitive } template { id } }
        policyGroups { id policyIds }
        userGroups { id memberUserIds }
        deviceGroups { id memberDeviceIds }
        ipLists { id ips }
        conditionalAccessPolicies { id conditions }
        admins { id email }
      } }
    }
  }`;

interface EverythingData {
  organizations: { edges: { node: Record<string, unknown[]> & { id: string } }[] };
}

let api: ApiServer;
let key: string;
let providerId: string;
const administratorIds: string[] = [];

async function readsOf(query: string): Promise<{ reads: number; data: EverythingData }> {
  const before = api.readModelReads();
  const data = dataOf(await api.graphql<EverythingData>(key, query));
  return { reads: api.readModelReads() - before, data };
}

beforeAll(async () => {
  api = await startApiServer();
  providerId = (await api.provider()).id;
  const caller = await api.administrator(providerId);
  key = caller.key;
  administratorIds.push(caller.administrator.id);
  for (let n = 0; n < 2; n++)
    administratorIds.push((await api.administrator(providerId, 'Manager')).administrator.id);
});

afterAll(async () => {
  await api.stop();
});

describe('read-model queries of a nested organization query', () => {
  it('stay the same whatever the number of organizations and items', async () => {
    await seedOrganization(api, key, {
      name: 'Small',
      size: 1,
      marker: 'm1',
      administratorIds: administratorIds.slice(0, 1),
    });
    const small = await readsOf(EVERYTHING);
    expect(small.data.organizations.edges).toHaveLength(1);

    await seedOrganization(api, key, { name: 'Large', size: 6, marker: 'm2', administratorIds });
    await seedOrganization(api, key, {
      name: 'Medium',
      size: 3,
      marker: 'm3',
      administratorIds: administratorIds.slice(1),
    });
    const large = await readsOf(EVERYTHING);
    const nodes = large.data.organizations.edges.map((edge) => edge.node);
    expect(nodes).toHaveLength(3);
    const largest = nodes.find((node) => node.policies?.length === 6)!;
    expect(largest.admins).toHaveLength(3);
    expect(largest.userGroups).toHaveLength(6);

    expect(large.reads).toBe(small.reads);
    // The caller's permissions, the page of organizations, one query per kind of item, the administrators.
    expect(large.reads).toBeLessThanOrEqual(12);
  });
});
