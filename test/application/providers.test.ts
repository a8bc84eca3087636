import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderReadModel } from '../../src/projections/providers/queries.js';
import { createApiKeyAuthenticator } from '../../src/server/auth.js';
import type { ServiceFixture } from './support/service-fixture.js';
import { serviceFixture } from './support/service-fixture.js';

let fixture: ServiceFixture;
beforeEach(async () => {
  fixture = await serviceFixture();
});
afterEach(async () => {
  await fixture.close();
});

const newAdministrator = (providerId: string) => ({
  providerId,
  email: 'ann@msp.example',
  firstname: 'Ann',
  lastname: 'Admin',
  roleName: 'Administrator With Billing' as const,
  orgAccess: 'ALL' as const,
});

describe('ProviderService', () => {
  it('creates providers and administrators, answering with its own write', async () => {
    const { providers } = fixture.main;
    const provider = await providers.createProvider({ name: 'MSP', plan: 'TRIAL' });
    expect(provider).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      name: 'MSP',
      plan: 'TRIAL',
      orgCreationDisabled: false,
      version: '0',
    });
    expect(await providers.changePlan({ providerId: provider.id, plan: 'PAID' })).toMatchObject({
      plan: 'PAID',
      version: '1',
    });

    const administrator = await providers.addAdministrator(newAdministrator(provider.id));
    expect(administrator).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      providerId: provider.id,
      email: 'ann@msp.example',
      firstname: 'Ann',
      lastname: 'Admin',
      roleName: 'Administrator With Billing',
      orgAccess: 'ALL',
      linkedOrganizationIds: [],
      suspended: false,
    });
    const suspended = await providers.suspendAdministrator({
      providerId: provider.id,
      administratorId: administrator.id,
    });
    expect(suspended.suspended).toBe(true);
  });

  it('issues a key that authenticates at once, shown once and stored only as a hash', async () => {
    const { providers } = fixture.main;
    const provider = await providers.createProvider({ name: 'MSP', plan: 'PAID' });
    const administrator = await providers.addAdministrator(newAdministrator(provider.id));
    const authenticator = createApiKeyAuthenticator(providers.authenticatorLookup());

    const issued = await providers.issueApiKey({
      providerId: provider.id,
      administratorId: administrator.id,
    });
    expect(issued.apiKey).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      providerId: provider.id,
      administratorId: administrator.id,
      prefix: issued.key.split('_')[1],
      issuedAt: expect.any(String),
      revoked: false,
    });
    expect(await authenticator.authenticate(issued.key)).toMatchObject({
      administratorId: administrator.id,
      providerId: provider.id,
    });

    const secret = issued.key.slice(`oc_${issued.apiKey.prefix}_`.length);
    const files = [fixture.eventsPath, ...fixture.readModelPaths]
      .flatMap((path) => [path, `${path}-wal`])
      .filter((path) => existsSync(path));
    const bytes = Buffer.concat(files.map((path) => readFileSync(path)));
    expect(bytes.includes(issued.apiKey.prefix)).toBe(true);
    expect(bytes.includes(secret)).toBe(false);

    const revoked = await providers.revokeApiKey({ providerId: provider.id, apiKeyId: issued.apiKey.id });
    expect(revoked.revoked).toBe(true);
    expect(await authenticator.authenticate(issued.key)).toBeNull();
  });

  it('shows a suspension to the authenticator at once', async () => {
    const { providers } = fixture.main;
    const provider = await providers.createProvider({ name: 'MSP', plan: 'PAID' });
    const administrator = await providers.addAdministrator(newAdministrator(provider.id));
    const { key } = await providers.issueApiKey({
      providerId: provider.id,
      administratorId: administrator.id,
    });
    await providers.suspendAdministrator({ providerId: provider.id, administratorId: administrator.id });
    expect(await createApiKeyAuthenticator(providers.authenticatorLookup()).authenticate(key)).toMatchObject({
      suspended: true,
    });
  });

  it('writes nothing for input the domain refuses', async () => {
    const { providers } = fixture.main;
    const provider = await providers.createProvider({ name: 'MSP', plan: 'PAID' });
    const administrator = await providers.addAdministrator(newAdministrator(provider.id));
    const before = await fixture.eventCount();

    await expect(providers.createProvider({ name: '', plan: 'PAID' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'name',
    });
    await expect(
      providers.addAdministrator({ ...newAdministrator(provider.id), email: 'not an email' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'email' });
    await expect(providers.addAdministrator(newAdministrator(provider.id))).rejects.toMatchObject({
      code: 'CONFLICT',
      reason: 'EMAIL_TAKEN',
    });
    await expect(
      providers.changePlan({ providerId: provider.id, plan: 'GOLD' as never }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'plan' });
    await expect(
      providers.issueApiKey({ providerId: 'no-such-provider', administratorId: administrator.id }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      providers.revokeApiKey({ providerId: provider.id, apiKeyId: 'no-such-key' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await fixture.eventCount()).toBe(before);
    expect(new ProviderReadModel(fixture.main.db).administratorsOf([provider.id])[0]).toHaveLength(1);
  });
});
