/**
 * SPEC §2's secrets sweep. Unique markers are planted through the API in every sensitive place of a
 * source organization — every text, textarea and file value and every sensitive field of every
 * policy template in the catalogue, values marked sensitive by the caller, a value set by an update,
 * the Duo secret key — the organization is cloned through the API, and then the whole event log,
 * every table of the read model, every file of the data directory, every API answer the test
 * received and the server log are searched. A secret appears nowhere in plain text (in the log only
 * sealed); what is left behind without being secret (uploaded command file ids, the Duo integration
 * key) stays with the source: never in the new organization's stream or rows, and in the clone's
 * stream, audit and answers only as the dropped reference the audit records by design (SPEC §2: "a
 * reference to something that is not cloned is dropped and recorded on the item that held it").
 * Markers sent in refused requests and the API keys appear nowhere.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer, type GraphQLResult } from '../api/support/api-server.js';
import { ROOT, WIFI_TEMPLATE } from '../api/support/seed.js';

/** Secret: never in plain text anywhere. Left behind: only with the source. Refused: nowhere. */
type MarkerClass = 'SECRET' | 'LEFT_BEHIND' | 'REFUSED';

interface ConfigField {
  id: string;
  name: string;
  displayType: string;
  required: boolean;
  sensitive: boolean;
  defaultValue: unknown;
  displayOptions: {
    values: string[] | null;
    min: number | null;
    max: number | null;
    columns: string[] | null;
  } | null;
}

interface PolicyTemplate {
  id: string;
  name: string;
  configFields: ConfigField[];
}

interface Answer {
  /** What the answer is about: the source, or the clone and the organization it made. */
  about: 'SOURCE' | 'CLONE';
  text: string;
}

let api: ApiServer;
let key: string;
const apiKeys: string[] = [];
const markers = new Map<string, { class: MarkerClass; place: string }>();
const answers: Answer[] = [];
let sourceId: string;
let cloneId: string;
let newOrganizationId: string;
/** Sensitive policy values the source holds: each must sit in the log sealed. */
let sealedValuesExpected = 0;

/** 32 lower-case letters and digits: a valid id, base64 text, an email's local part and a Duo key alike. */
function marker(markerClass: MarkerClass, place: string, length = 32, upperCase = false): string {
  const lower = `mk${randomBytes(length).toString('hex')}`.slice(0, length);
  const value = upperCase ? lower.toUpperCase() : lower;
  markers.set(value, { class: markerClass, place });
  return value;
}

/** A number no other value of the test is: for sensitive number fields. */
function numericMarker(markerClass: MarkerClass, place: string, min: number, max: number): number {
  for (;;) {
    const value = min + Math.floor(Math.random() * (max - min));
    if (String(value).length >= 8) {
      markers.set(String(value), { class: markerClass, place });
      return value;
    }
  }
}

async function gql<Data = Record<string, unknown>>(
  about: Answer['about'],
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResult<Data>> {
  const result = await api.graphql<Data>(key, query, variables);
  answers.push({ about, text: JSON.stringify(result) });
  return result;
}

async function ok<Data = Record<string, unknown>>(
  about: Answer['about'],
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Data> {
  const result = await gql<Data>(about, query, variables);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!;
}

/** A value for the field; where it can hold text, a marker (the value marked sensitive if its field is not). */
function plantedValue(
  template: PolicyTemplate,
  field: ConfigField,
): { value: unknown; sensitive?: boolean; secret: boolean } {
  const place = `policy ${template.name}, field ${field.name} (${field.displayType})`;
  const options = field.displayOptions;
  // GraphQL spells JumpCloud's display types in upper case.
  switch (field.displayType.toLowerCase()) {
    case 'text':
    case 'textarea':
    case 'copywell':
      return { value: marker('SECRET', place), secret: true };
    case 'file':
      return {
        value: {
          name: `${marker('SECRET', `${place}: name`)}.bin`,
          contentBase64: marker('SECRET', `${place}: content`),
        },
        secret: true,
      };
    case 'email':
      return { value: `${marker('SECRET', place)}@example.com`, sensitive: true, secret: true };
    case 'table':
      return {
        value: [
          Object.fromEntries(
            (options?.columns ?? ['value']).map((column) => [
              column,
              marker('SECRET', `${place}: ${column}`),
            ]),
          ),
        ],
        sensitive: true,
        secret: true,
      };
    case 'number':
    case 'numberinline':
      if (field.sensitive) {
        return {
          value: numericMarker('SECRET', place, options?.min ?? 10_000_000, options?.max ?? 99_999_999),
          secret: true,
        };
      }
      return { value: options?.min ?? 1, secret: false };
    case 'checkbox':
      return { value: true, secret: false };
    case 'multilist':
    case 'doublelistbox':
    case 'paginationlist':
      return { value: [options!.values![0]], secret: false };
    case 'timeinput':
      return { value: '08:00', secret: false };
    case 'date':
      return { value: '2030-01-01', secret: false };
    case 'datetimepicker':
      return { value: '2030-01-01T00:00:00Z', secret: false };
    case 'datepickerrange':
      return { value: { start: '2030-01-01', end: '2030-02-01' }, secret: false };
    default:
      return { value: options?.values?.[0] ?? field.defaultValue, secret: false };
  }
}

beforeAll(async () => {
  api = await startApiServer();
  const { id: providerId } = await api.provider('PAID');
  const admin = await api.administrator(providerId);
  key = admin.key;
  apiKeys.push(key, (await api.administrator(providerId, 'Read Only')).key);
}, 30_000);

afterAll(async () => {
  await api?.stop();
  console.log(
    `secrets sweep: ${markers.size} markers planted (${count('SECRET')} secret, ${count('LEFT_BEHIND')} left behind, ${count('REFUSED')} in refused requests), ${answers.length} answers scanned`,
  );
});

const POLICY =
  'mutation ($input: AddPolicyInput!) { addPolicy(input: $input) { policy { id values { configFieldID value sensitive } } } }';

describe('secrets sweep', () => {
  it('plants markers in every sensitive place of a source organization through the API', async () => {
    const created = await ok<{ createOrganization: { id: string } }>(
      'SOURCE',
      'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
      { input: { displayName: 'Secrets Source' } },
    );
    sourceId = created.createOrganization.id;
    const on = { organizationId: sourceId };

    const { policyTemplates } = await ok<{ policyTemplates: PolicyTemplate[] }>(
      'SOURCE',
      `{ policyTemplates { id name configFields { id name displayType required sensitive defaultValue
          displayOptions { values min max columns } } } }`,
    );
    expect(policyTemplates.length).toBeGreaterThanOrEqual(10);
    for (const template of policyTemplates) {
      const values = template.configFields.map((field) => {
        const planted = plantedValue(template, field);
        if (planted.secret) sealedValuesExpected++;
        return {
          configFieldID: field.id,
          value: planted.value,
          ...(planted.sensitive ? { sensitive: true } : {}),
        };
      });
      const { addPolicy } = await ok<{
        addPolicy: { policy: { values: { value: unknown; sensitive: boolean }[] } };
      }>('SOURCE', POLICY, {
        input: { ...on, name: `Secrets ${template.name}`, templateId: template.id, values },
      });
      // Read back at once: sensitive values are null.
      for (const value of addPolicy.policy.values) if (value.sensitive) expect(value.value).toBeNull();
    }

    // A sensitive value set by an update, and one marked sensitive on a field that is not.
    const wifi = await ok<{ addPolicy: { policy: { id: string } } }>('SOURCE', POLICY, {
      input: {
        ...on,
        name: 'Office Wi-Fi',
        templateId: WIFI_TEMPLATE.id,
        values: [
          { configFieldID: WIFI_TEMPLATE.ssid, value: marker('SECRET', 'Wi-Fi SSID (text)') },
          { configFieldID: WIFI_TEMPLATE.encryption, value: 'WPA3', sensitive: true },
          {
            configFieldID: WIFI_TEMPLATE.password,
            value: marker('SECRET', 'Wi-Fi password (sensitive field)'),
          },
        ],
      },
    });
    sealedValuesExpected += 3;
    await ok(
      'SOURCE',
      'mutation ($input: UpdatePolicyInput!) { updatePolicy(input: $input) { policy { id } } }',
      {
        input: {
          ...on,
          policyId: wifi.addPolicy.policy.id,
          setValues: [
            {
              configFieldID: WIFI_TEMPLATE.password,
              value: marker('SECRET', 'Wi-Fi password set by updatePolicy'),
            },
          ],
        },
      },
    );
    sealedValuesExpected += 1;

    await ok('SOURCE', 'mutation ($input: ConfigureDuoInput!) { configureDuo(input: $input) { id } }', {
      input: {
        ...on,
        accountId: 'DA1234',
        apiHost: 'api-1234abcd.duosecurity.com',
        integrationKey: `DI${marker('LEFT_BEHIND', 'Duo integration key', 18, true)}`,
        secretKey: marker('SECRET', 'Duo secret key', 40),
      },
    });
    sealedValuesExpected += 1;

    for (const [commandType, user] of [
      ['WINDOWS', undefined],
      ['LINUX', ROOT],
    ] as const) {
      await ok(
        'SOURCE',
        'mutation ($input: AddCommandInput!) { addCommand(input: $input) { command { id files } } }',
        {
          input: {
            ...on,
            name: `Uses files (${commandType})`,
            command: 'run installer',
            commandType,
            ...(user ? { user } : {}),
            files: [marker('LEFT_BEHIND', `uploaded file id of a ${commandType} command`, 24)],
          },
        },
      );
    }

    // Refused requests that carry markers: nothing of them may stay anywhere.
    const refused = [
      gql('SOURCE', POLICY, {
        input: {
          ...on,
          name: 'Refused Wi-Fi',
          templateId: WIFI_TEMPLATE.id,
          values: [
            { configFieldID: WIFI_TEMPLATE.ssid, value: 'ssid' },
            { configFieldID: WIFI_TEMPLATE.encryption, value: 'Bogus' },
            {
              configFieldID: WIFI_TEMPLATE.password,
              value: marker('REFUSED', 'password of a refused policy'),
            },
          ],
        },
      }),
      gql('SOURCE', 'mutation ($input: ConfigureDuoInput!) { configureDuo(input: $input) { id } }', {
        input: {
          ...on,
          accountId: 'DA1234',
          apiHost: 'api-1234abcd.duosecurity.com',
          integrationKey: 'DIXXXXXXXXXXXXXXXXXX',
          secretKey: marker('REFUSED', 'Duo secret key one character short', 39),
        },
      }),
      gql('SOURCE', POLICY, {
        input: {
          ...on,
          name: 'Refused certificate',
          templateId: '64f0a1b2c3d4e5f601000004',
          values: [
            {
              configFieldID: '64f0a1b2c3d4e5f602040001',
              value: {
                name: 'cert.p12',
                contentBase64: `${marker('REFUSED', 'certificate that is not base64')}!`,
              },
            },
            { configFieldID: '64f0a1b2c3d4e5f602040003', value: 'System' },
          ],
        },
      }),
    ];
    for (const result of await Promise.all(refused)) {
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(result)).toBe('BAD_USER_INPUT');
    }
    expect([...markers.values()].filter((entry) => entry.class === 'SECRET').length).toBeGreaterThan(20);
  });

  it('clones the organization through the API, to the end', async () => {
    const preview = await ok<{ clonePreview: { planId: string } }>(
      'CLONE',
      `query ($input: ClonePreviewInput!) { clonePreview(input: $input) {
         planId items(first: 500) { edges { node { kind sourceId name outcome reasons omittedFields newId
           droppedReferences { field targetKind targetId cause } } } }
         totals { category copied copiedWithOmissions skipped excluded total } remap { kind sourceId newId }
         preflight { code severity message field } } }`,
      { input: { sourceOrganizationId: sourceId, name: 'Secrets Clone' } },
    );
    const { cloneOrganization } = await ok<{
      cloneOrganization: { id: string; targetOrganizationId: string };
    }>(
      'CLONE',
      'mutation ($input: CloneOrganizationInput!) { cloneOrganization(input: $input) { id targetOrganizationId status } }',
      {
        input: {
          sourceOrganizationId: sourceId,
          name: 'Secrets Clone',
          expectedPlanId: preview.clonePreview.planId,
        },
      },
    );
    cloneId = cloneOrganization.id;
    newOrganizationId = cloneOrganization.targetOrganizationId;
    const progress = await followProgress(cloneId);
    expect(progress.at(-1)).toMatchObject({ status: 'COMPLETED', terminal: true });

    await ok(
      'CLONE',
      `query ($id: ID!) { cloneOperation(id: $id) {
        id status selection { deselectedItemIds } totals { category copied skipped total }
        audit(first: 500) { edges { node { kind sourceId name outcome reasons omittedFields newId
          droppedReferences { field targetKind targetId cause } } } }
        history(first: 500) { id type data metadata }
        auditAsOf(version: "5", first: 500) { edges { node { name outcome omittedFields } } }
        verification { valid eventsChecked } } }`,
      { id: cloneId },
    );
    const target = await ok<{ organization: { status: string; policies: unknown[] } }>(
      'CLONE',
      `query ($id: ID!) { organization(id: $id) { ${ORGANIZATION_FIELDS} } }`,
      { id: newOrganizationId },
    );
    expect(target.organization.status).toBe('ACTIVE');
    expect(target.organization.policies.length).toBeGreaterThan(0);
    await ok(
      'CLONE',
      '{ cloneOperations(first: 50) { edges { node { id name status selection { deselectedItemIds } } } } }',
    );
    await ok('SOURCE', `query ($id: ID!) { organization(id: $id) { ${ORGANIZATION_FIELDS} } }`, {
      id: sourceId,
    });
    await ok(
      'SOURCE',
      '{ organizations(first: 50) { edges { node { id displayName mfa { duo { configured accountId } } } } } }',
    );
  });

  it("leaves no secret in plain text in the event log, and nothing of the source in the clone's streams", async () => {
    const streams = new Map<string, string[]>();
    for await (const event of api.runtime.store.readAll()) {
      const text = JSON.stringify({
        ...event,
        position: String(event.position),
        revision: String(event.revision),
      });
      streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), text]);
    }
    const log = await api.eventLogText();
    expect(found(log, ['SECRET', 'REFUSED'])).toEqual([]);

    // The secrets are there, sealed: each sensitive value of the source is one sealed blob.
    const source = streams.get(`organization-${sourceId}`)!.join('\n');
    expect(source.match(/"sealed":"v1:/g)?.length ?? 0).toBeGreaterThanOrEqual(sealedValuesExpected);
    expect(found(source, ['LEFT_BEHIND']).length).toBe(count('LEFT_BEHIND'));

    for (const streamId of [`clone-${cloneId}`, `organization-${newOrganizationId}`]) {
      const events = streams.get(streamId) ?? [];
      const text = (streamId.startsWith('clone-') ? events.map(withoutFileReferences) : events).join('\n');
      expect(text.length, streamId).toBeGreaterThan(0);
      expect(found(text, ['SECRET', 'LEFT_BEHIND', 'REFUSED']), streamId).toEqual([]);
      // Not even sealed: a copy of the sealed blob would carry the secret into the new organization.
      expect(text, streamId).not.toContain('"sealed"');
    }
    for (const apiKey of apiKeys) expect(log).not.toContain(secretPartOf(apiKey));
  });

  it("leaves no secret in any table of the read model, and nothing of the source in the new organization's rows", () => {
    const db = api.runtime.db;
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((table) => table.name);
    expect(tables.length).toBeGreaterThanOrEqual(6);
    let rows = 0;
    for (const table of tables) {
      for (const row of db
        .prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"`)
        .raw(true)
        .all() as unknown[][]) {
        rows++;
        const cells = row.map((cell) => (Buffer.isBuffer(cell) ? cell.toString('latin1') : String(cell)));
        const text = (table === 'clone_audit' ? cells.map(withoutFileReferences) : cells).join('\u0001');
        expect(found(text, ['SECRET', 'REFUSED']), `${table}: ${text.slice(0, 300)}`).toEqual([]);
        for (const apiKey of apiKeys) expect(text).not.toContain(secretPartOf(apiKey));
        if (text.includes(newOrganizationId) || text.includes(cloneId)) {
          expect(found(text, ['LEFT_BEHIND']), `${table}: ${text.slice(0, 300)}`).toEqual([]);
          expect(text, table).not.toContain('"sealed"');
        }
      }
    }
    expect(rows).toBeGreaterThan(50);
  });

  it('leaves no secret in any file of the data directory', () => {
    const dir = api.runtime.config.dataDir;
    const files = readdirSync(dir).filter((name) => name.includes('sqlite'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const name of files) {
      const bytes = readFileSync(join(dir, name));
      for (const [value, entry] of markers) {
        if (entry.class !== 'LEFT_BEHIND')
          expect(bytes.includes(value), `${name}: ${entry.place}`).toBe(false);
      }
      for (const apiKey of apiKeys) expect(bytes.includes(secretPartOf(apiKey)), name).toBe(false);
    }
  });

  it('answered no secret, and nothing left behind in what it answered about the clone', () => {
    expect(answers.length).toBeGreaterThan(20);
    for (const answer of answers) {
      expect(found(answer.text, ['SECRET', 'REFUSED']), answer.text.slice(0, 300)).toEqual([]);
      if (answer.about === 'CLONE') {
        const text = withoutFileReferences(answer.text);
        expect(found(text, ['LEFT_BEHIND']), text.slice(0, 300)).toEqual([]);
      }
      for (const apiKey of apiKeys) expect(answer.text).not.toContain(secretPartOf(apiKey));
    }
    // The source's own answers do show what is left behind without being secret: the test looked.
    const sourceAnswers = answers
      .filter((answer) => answer.about === 'SOURCE')
      .map((answer) => answer.text)
      .join('\n');
    expect(found(sourceAnswers, ['LEFT_BEHIND']).length).toBe(count('LEFT_BEHIND'));
  });

  it('logged no marker and no API key', () => {
    const log = api.logText();
    expect(log.length).toBeGreaterThan(1000);
    expect(found(log, ['SECRET', 'LEFT_BEHIND', 'REFUSED'])).toEqual([]);
    for (const apiKey of apiKeys) {
      expect(log).not.toContain(apiKey);
      expect(log).not.toContain(secretPartOf(apiKey));
    }
  });
});

const ORGANIZATION_FIELDS = `
  id displayName status clonedFrom { cloneId sourceOrganizationId }
  mfa { duo { configured accountId apiHost integrationKey } push { enabled } }
  commands { id name commandType user files clonedFromId }
  policies { id name templateId values { configFieldID value sensitive } clonedFromId }
  policyGroups { id name } userGroups { id name } deviceGroups { id name } ipLists { id name }
  conditionalAccessPolicies { id name conditions } admins { id }`;

/**
 * The JSON text with the ids of the uploaded files that the audit records as dropped references
 * (`{ field: "files", targetKind: "FILE", targetId }`) blanked out; any other text as it is.
 */
function withoutFileReferences(text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text;
  }
  const blank = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(blank);
    if (typeof node !== 'object' || node === null) return node;
    const record = node as Record<string, unknown>;
    if (record.targetKind === 'FILE' && record.field === 'files')
      return { ...record, targetId: '(file reference)' };
    return Object.fromEntries(Object.entries(record).map(([name, value]) => [name, blank(value)]));
  };
  return JSON.stringify(blank(json));
}

/** The markers of these classes that occur in the text, with where each was planted. */
function found(text: string, classes: MarkerClass[]): string[] {
  return [...markers]
    .filter(([value, entry]) => classes.includes(entry.class) && text.includes(value))
    .map(([value, entry]) => `${entry.place} (${value})`);
}

function count(markerClass: MarkerClass): number {
  return [...markers.values()].filter((entry) => entry.class === markerClass).length;
}

/** The secret part of an API key (`oc_<prefix>_<secret>`): the prefix is public by design. */
function secretPartOf(apiKey: string): string {
  return apiKey.split('_').slice(2).join('_');
}

/** Every update of the clone's progress subscription, until it completes; each answer is recorded. */
async function followProgress(id: string): Promise<{ status: string; terminal: boolean }[]> {
  const client = api.connect(key);
  const updates: { status: string; terminal: boolean }[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      client.subscribe<{ cloneProgress: { status: string; terminal: boolean } }>(
        {
          query: `subscription ($id: ID!) { cloneProgress(cloneId: $id) {
            cloneId status terminal progress { done total phase } failure { reason } auditDigest
            totals { category copied skipped total } } }`,
          variables: { id },
        },
        {
          next: (result) => {
            answers.push({ about: 'CLONE', text: JSON.stringify(result) });
            if (result.data) updates.push(result.data.cloneProgress);
          },
          error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
          complete: resolve,
        },
      );
    });
  } finally {
    await client.dispose();
  }
  return updates;
}
