/**
 * The demo data `orgclone demo` serves: an MSP on a paid plan with three administrators, a second
 * MSP (whose organizations the first must never see), and a source organization that exercises
 * every clone rule of SPEC §2. Everything is built through the application services, exactly as the
 * API would build it, so the demo's events are the product's own.
 *
 * Seeding is idempotent: whatever a data directory already holds (found by name or email) is reused,
 * so a second `orgclone demo` serves the same data. Keys are shown once and stored only as hashes,
 * so every run issues a fresh key for the demo administrator.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Runtime } from '../app/runtime.js';
import type { Caller, OrganizationService } from '../application/organizations.js';
import type { Origin } from '../application/providers.js';
import { normalizeOrganizationName } from '../domain/organization/naming.js';
import type { AdminRole, BillingPlan } from '../domain/organization/model.js';
import { ROOT_USER_ID } from '../domain/organization/model.js';
import type { OrganizationRecord } from '../projections/organizations/queries.js';
import type { AdministratorRecord, ProviderRecord } from '../projections/providers/queries.js';
import { principalOf } from '../projections/providers/queries.js';

export const DEMO_PROVIDER_NAME = 'Demo MSP';
export const OTHER_PROVIDER_NAME = 'Northwind IT';
export const DEMO_SOURCE_NAME = 'Acme Corp';
const OTHER_ORGANIZATION_NAME = 'Northwind Internal';

/** Policy templates of the catalogue (src/domain/policy-templates/catalogue.ts) and their fields. */
const TEMPLATES = {
  screensaver: {
    id: '64f0a1b2c3d4e5f601000006',
    idleTime: '64f0a1b2c3d4e5f602060001',
    askForPassword: '64f0a1b2c3d4e5f602060002',
    askForPasswordDelay: '64f0a1b2c3d4e5f602060003',
  },
  firewall: {
    id: '64f0a1b2c3d4e5f601000009',
    enableFirewall: '64f0a1b2c3d4e5f602090001',
    enableStealthMode: '64f0a1b2c3d4e5f602090003',
  },
  bitlocker: {
    id: '64f0a1b2c3d4e5f601000007',
    encryptionMethod: '64f0a1b2c3d4e5f602070001',
    requireStartupPin: '64f0a1b2c3d4e5f602070003',
    startupPin: '64f0a1b2c3d4e5f602070004',
  },
  chrome: {
    id: '64f0a1b2c3d4e5f60100000f',
    safeBrowsing: '64f0a1b2c3d4e5f6020f0001',
    passwordManager: '64f0a1b2c3d4e5f6020f0003',
    homepage: '64f0a1b2c3d4e5f6020f0004',
  },
  kiosk: {
    id: '64f0a1b2c3d4e5f60100000d',
    kioskApplication: '64f0a1b2c3d4e5f6020d0001',
    exitPin: '64f0a1b2c3d4e5f6020d0003',
  },
} as const;

/** Things outside the portal that items point at (applications, directories, uploaded files). */
const EXTERNAL = {
  salesforceApp: '5f1a2b3c4d5e6f7a8b9c0d01',
  githubApp: '5f1a2b3c4d5e6f7a8b9c0d02',
  ldapServer: '5f1a2b3c4d5e6f7a8b9c0d03',
  bootstrapScript: '5f1a2b3c4d5e6f7a8b9c0d04',
} as const;

interface DemoAdministratorSpec {
  email: string;
  firstname: string;
  lastname: string;
  roleName: AdminRole;
}

const DEMO_ADMINISTRATORS = {
  billing: {
    email: 'owner@demo-msp.example',
    firstname: 'Olivia',
    lastname: 'Owner',
    roleName: 'Administrator With Billing',
  },
  billingOnly: {
    email: 'billing@demo-msp.example',
    firstname: 'Bill',
    lastname: 'Payne',
    roleName: 'Billing Only',
  },
  readOnly: {
    email: 'auditor@demo-msp.example',
    firstname: 'Ada',
    lastname: 'Auditor',
    roleName: 'Read Only',
  },
} as const satisfies Record<string, DemoAdministratorSpec>;

const OTHER_ADMINISTRATOR: DemoAdministratorSpec = {
  email: 'admin@northwind.example',
  firstname: 'Nora',
  lastname: 'West',
  roleName: 'Administrator',
};

/** Ids of what the demo source organization holds (the new ids of its items). */
export interface DemoSource {
  organizationId: string;
  userGroups: { engineering: string; contractors: string };
  deviceGroups: { macFleet: string; windowsWorkstations: string };
  commands: { rootWithFiles: string; nonRootLinux: string; windows: string; macRoot: string };
  policies: { screensaver: string; firewall: string; bitlocker: string; chrome: string; kiosk: string };
  policyGroups: { macBaseline: string; windowsBaseline: string };
  ipLists: { headOffice: string; legacyVpn: string };
  conditionalAccessPolicies: { salesforce: string; engineering: string; officeOnly: string };
  administratorIds: string[];
}

export interface DemoSeed {
  provider: ProviderRecord;
  administrators: Record<keyof typeof DEMO_ADMINISTRATORS, AdministratorRecord>;
  otherProvider: ProviderRecord;
  /** The key of the demo's 'Administrator With Billing', issued by this run. */
  apiKey: string;
  /** Null when the source organization was there already (reused, not seeded by this run). */
  source: DemoSource | null;
  sourceOrganization: OrganizationRecord;
}

/** Seeds what is missing and issues a fresh key for the demo's 'Administrator With Billing'. */
export async function seedDemo(runtime: Runtime): Promise<DemoSeed> {
  const origin: Origin = { actor: 'demo', correlationId: randomUUID() };
  const { providers } = runtime;
  const reads = runtime.services.readModels.providers;

  const provider = await ensureProvider(runtime, DEMO_PROVIDER_NAME, 'PAID', origin);
  const administrators = {} as DemoSeed['administrators'];
  for (const [role, spec] of Object.entries(DEMO_ADMINISTRATORS)) {
    administrators[role as keyof typeof DEMO_ADMINISTRATORS] = await ensureAdministrator(
      runtime,
      provider.id,
      spec,
      origin,
    );
  }
  const owner = administrators.billing;
  const caller: Caller = { principal: principalOf(owner), requestId: origin.correlationId };

  let source: DemoSource | null = null;
  let sourceOrganization = findOrganization(runtime.services.organizations, caller, DEMO_SOURCE_NAME);
  if (!sourceOrganization) {
    source = await seedDemoSource(runtime.services.organizations, caller, [
      owner.id,
      administrators.readOnly.id,
    ]);
    sourceOrganization = runtime.services.readModels.organizations.getOrganization(source.organizationId)!;
  }

  const otherProvider = await ensureProvider(runtime, OTHER_PROVIDER_NAME, 'TRIAL', origin);
  const otherAdministrator = await ensureAdministrator(
    runtime,
    otherProvider.id,
    OTHER_ADMINISTRATOR,
    origin,
  );
  const otherCaller: Caller = { principal: principalOf(otherAdministrator), requestId: origin.correlationId };
  if (!findOrganization(runtime.services.organizations, otherCaller, OTHER_ORGANIZATION_NAME)) {
    await runtime.services.organizations.createOrganization(otherCaller, {
      displayName: OTHER_ORGANIZATION_NAME,
    });
  }

  const { key } = await providers.issueApiKey({ providerId: provider.id, administratorId: owner.id }, origin);
  return {
    provider: reads.getProvider(provider.id)!,
    administrators,
    otherProvider,
    apiKey: key,
    source,
    sourceOrganization,
  };
}

async function ensureProvider(
  runtime: Runtime,
  name: string,
  plan: BillingPlan,
  origin: Origin,
): Promise<ProviderRecord> {
  const [existing] = runtime.services.readModels.providers.providersNamed(name);
  return existing ?? runtime.providers.createProvider({ name, plan }, origin);
}

async function ensureAdministrator(
  runtime: Runtime,
  providerId: string,
  spec: DemoAdministratorSpec,
  origin: Origin,
): Promise<AdministratorRecord> {
  const [administrators = []] = runtime.services.readModels.providers.administratorsOf([providerId]);
  const existing = administrators.find((admin) => admin.email.toLowerCase() === spec.email.toLowerCase());
  if (existing) return existing;
  return runtime.providers.addAdministrator({ providerId, ...spec, orgAccess: 'ALL' }, origin);
}

function findOrganization(
  organizations: OrganizationService,
  caller: Caller,
  name: string,
): OrganizationRecord | undefined {
  return organizations
    .listOrganizations(caller, { search: name, first: 100 })
    .find((organization) => organization.normalizedName === normalizeOrganizationName(name));
}

/**
 * The source organization: settings of all six categories and proprietary ones, features, users and
 * devices in groups, commands, policies and policy groups, MFA with Duo, IP lists, conditional
 * access policies and access for `administratorIds`. What each item is for is said next to it.
 */
export async function seedDemoSource(
  organizations: OrganizationService,
  caller: Caller,
  administratorIds: readonly string[],
): Promise<DemoSource> {
  const { id: organizationId } = await organizations.createOrganization(caller, {
    displayName: DEMO_SOURCE_NAME,
  });
  const on = { organizationId };

  // Settings of every category (COPIED, or EXCLUDED when the category is deselected).
  await organizations.updateSettings(caller, {
    ...on,
    settings: {
      USER_PORTAL: {
        systemUsersCanEdit: false,
        enableUserPortalAgentInstall: true,
        idleSessionDurationMinutes: 240,
        cookieExpirationType: 'session',
      },
      PASSWORD_RECOVERY_EMAIL: { enableRecoveryEmail: true },
      ADMIN_MANAGEMENT: { disableGoogleLogin: true },
      PASSWORD_SETTINGS: {
        passwordCompliance: 'custom',
        passwordPolicy: {
          enableMinLength: true,
          minLength: 14,
          needsLowercase: true,
          needsUppercase: true,
          needsNumeric: true,
          needsSymbolic: true,
          disallowSequentialOrRepetitiveChars: true,
          disallowCommonlyUsedPasswords: true,
          enableMaxHistory: true,
          maxHistory: 12,
          enablePasswordExpirationInDays: true,
          passwordExpirationInDays: 180,
          enableMaxLoginAttempts: true,
          maxLoginAttempts: 5,
          enableLockoutTimeInSeconds: true,
          lockoutTimeInSeconds: 900,
        },
      },
      UID_GID_MANAGEMENT: { enableManagedUID: true },
      PASSWORD_CONFIGURATIONS: {
        m365: { userLockoutAction: 'suspend', userPasswordExpirationAction: 'maintain' },
        ldap: { userLockoutAction: 'disable', userPasswordExpirationAction: 'disable' },
      },
    },
  });
  // Proprietary settings: SKIPPED PROPRIETARY_SETTING.
  await organizations.updateProprietarySettings(caller, {
    ...on,
    settings: {
      contactName: 'Alex Admin',
      contactEmail: 'it@acme.example',
      emailDisclaimer: 'This message is confidential and meant for Acme Corp staff only.',
      maxSystemUsers: 250,
    },
  });
  // Features: COPIED, or RESET_TO_DEFAULT for those set to JumpCloud's default.
  await organizations.setFeatures(caller, {
    ...on,
    features: { directoryInsights: true, systemInsights: true, remoteAssist: true },
  });

  // Users and devices are never cloned: they are counted, and the groups holding them say so.
  const user = async (username: string) =>
    (await organizations.addUser(caller, { ...on, username, email: `${username}@acme.example` })).item!.id;
  const device = async (hostname: string, os: string) =>
    (await organizations.addDevice(caller, { ...on, hostname, os })).item!.id;
  const alice = await user('alice');
  const bob = await user('bob');
  const carol = await user('carol');
  const macbook = await device('alice-macbook', 'Mac OS X 14.5');
  const imac = await device('design-imac', 'Mac OS X 14.5');
  const workstation = await device('bob-workstation', 'Windows 11 Pro');

  // User groups: COPIED_WITH_OMISSIONS MEMBERS_NOT_COPIED (both), BINDING_NOT_CLONED (Engineering).
  const engineering = (
    await organizations.addUserGroup(caller, {
      ...on,
      name: 'Engineering',
      description: 'Everyone who builds the product',
      email: 'engineering@acme.example',
      attributes: {
        sudo: { enabled: true, withoutPassword: false },
        posixGroups: [{ id: 5001, name: 'engineering' }],
        ldapGroups: [{ name: 'engineering' }],
        radius: { reply: [{ name: 'Filter-Id', value: 'engineering' }] },
        sambaEnabled: false,
      },
      memberUserIds: [alice, bob],
      bindings: [
        { type: 'application', id: EXTERNAL.githubApp },
        { type: 'ldap_server', id: EXTERNAL.ldapServer },
      ],
    })
  ).item!.id;
  const contractors = (
    await organizations.addUserGroup(caller, {
      ...on,
      name: 'Contractors',
      description: 'External staff: excluded from Engineering access',
      memberUserIds: [carol],
    })
  ).item!.id;

  // Device groups: COPIED_WITH_OMISSIONS DEVICES_NOT_COPIED, and MDM_SETTINGS_NOT_COPIED for the Macs.
  const macFleet = (
    await organizations.addDeviceGroup(caller, {
      ...on,
      name: 'Mac fleet',
      description: 'Company Macs, enrolled through Apple Business Manager',
      memberDeviceIds: [macbook, imac],
      mdm: { appleMdmDefaultEnrollmentGroup: true, adeDefaultEnrollmentGroup: true },
    })
  ).item!.id;
  const windowsWorkstations = (
    await organizations.addDeviceGroup(caller, {
      ...on,
      name: 'Windows workstations',
      memberDeviceIds: [workstation],
    })
  ).item!.id;

  // Commands.
  const command = async (fields: Parameters<OrganizationService['addCommand']>[1]) =>
    (await organizations.addCommand(caller, fields)).item!.id;
  // Root, with an uploaded file: COPIED_WITH_OMISSIONS COMMAND_FILES_OMITTED.
  const rootWithFiles = await command({
    ...on,
    name: 'Bootstrap Mac',
    command: 'sh /tmp/bootstrap.sh',
    commandType: 'mac',
    user: ROOT_USER_ID,
    sudo: true,
    shell: '/bin/zsh',
    files: [EXTERNAL.bootstrapScript],
    deviceGroupIds: [macFleet],
  });
  // Linux as a user that is not root: SKIPPED NON_ROOT_UNIX_COMMAND.
  const nonRootLinux = await command({
    ...on,
    name: "Clear alice's build cache",
    command: 'rm -rf ~/.cache/build',
    commandType: 'linux',
    user: alice,
  });
  // Windows: COPIED.
  const windows = await command({
    ...on,
    name: 'Restart print spooler',
    command: 'Restart-Service -Name Spooler',
    commandType: 'windows',
    shell: 'powershell',
    launchType: 'repeated',
    schedule: '0 3 * * 0',
    scheduleRepeatType: 'week',
    deviceGroupIds: [windowsWorkstations],
  });
  // Root without files: COPIED.
  const macRoot = await command({
    ...on,
    name: 'Flush DNS cache',
    command: 'dscacheutil -flushcache; killall -HUP mDNSResponder',
    commandType: 'mac',
    user: ROOT_USER_ID,
    timeout: 60,
    deviceGroupIds: [macFleet],
  });

  // Policies.
  const policy = async (fields: Parameters<OrganizationService['addPolicy']>[1]) =>
    (await organizations.addPolicy(caller, fields)).item!.id;
  const { screensaver: s, firewall: f, bitlocker: b, chrome: c, kiosk: k } = TEMPLATES;
  // Choices only: COPIED.
  const screensaver = await policy({
    ...on,
    name: 'Screensaver after 5 minutes',
    templateId: s.id,
    values: [
      { configFieldID: s.idleTime, value: '300', sensitive: false },
      { configFieldID: s.askForPassword, value: true, sensitive: false },
      { configFieldID: s.askForPasswordDelay, value: 'immediately', sensitive: false },
    ],
    deviceGroupIds: [macFleet],
  });
  const firewall = await policy({
    ...on,
    name: 'Firewall on',
    templateId: f.id,
    values: [
      { configFieldID: f.enableFirewall, value: true, sensitive: false },
      { configFieldID: f.enableStealthMode, value: true, sensitive: false },
    ],
  });
  // An optional sensitive value (the startup PIN): COPIED_WITH_OMISSIONS SENSITIVE_VALUE_OMITTED.
  const bitlocker = await policy({
    ...on,
    name: 'BitLocker with startup PIN',
    templateId: b.id,
    values: [
      { configFieldID: b.encryptionMethod, value: 'XTS-AES 256', sensitive: false },
      { configFieldID: b.requireStartupPin, value: true, sensitive: false },
      { configFieldID: b.startupPin, value: 482_913, sensitive: true },
    ],
    deviceGroupIds: [windowsWorkstations],
  });
  // An optional text value (the homepage): COPIED_WITH_OMISSIONS SENSITIVE_VALUE_OMITTED.
  const chrome = await policy({
    ...on,
    name: 'Chrome: safe browsing',
    templateId: c.id,
    values: [
      { configFieldID: c.safeBrowsing, value: 'Enhanced protection', sensitive: false },
      { configFieldID: c.passwordManager, value: false, sensitive: false },
      { configFieldID: c.homepage, value: 'https://intranet.acme.example', sensitive: false },
    ],
  });
  // A required sensitive value (the exit PIN): SKIPPED REQUIRED_SENSITIVE_VALUE.
  const kiosk = await policy({
    ...on,
    name: 'Lobby kiosk',
    templateId: k.id,
    values: [
      { configFieldID: k.kioskApplication, value: 'Microsoft Edge', sensitive: false },
      { configFieldID: k.exitPin, value: 7_391, sensitive: true },
    ],
  });

  // Policy groups: COPIED, and COPIED_WITH_OMISSIONS MEMBER_NOT_CLONED (the kiosk policy stays behind).
  const macBaseline = (
    await organizations.addPolicyGroup(caller, {
      ...on,
      name: 'Mac baseline',
      policyIds: [screensaver, firewall],
      deviceGroupIds: [macFleet],
    })
  ).item!.id;
  const windowsBaseline = (
    await organizations.addPolicyGroup(caller, {
      ...on,
      name: 'Windows baseline',
      description: 'Disk encryption and the lobby kiosk',
      policyIds: [bitlocker, kiosk],
      deviceGroupIds: [windowsWorkstations],
    })
  ).item!.id;

  // MFA methods: COPIED; Duo: SKIPPED DUO_NOT_CLONED (its secret key never leaves the organization).
  await organizations.configureMfa(caller, {
    ...on,
    push: { enabled: true },
    totp: { enabled: true },
    webAuthn: { enabled: true, allowSelfRegistration: true },
  });
  await organizations.configureDuo(caller, {
    ...on,
    accountId: 'DA0DEMO0ACME',
    apiHost: 'api-demo1234.duosecurity.com',
    integrationKey: 'DIDEMOINTEGRATIONKEY',
    // A fresh random key per demo: it is sealed at once and no read returns it.
    secretKey: randomBytes(20).toString('hex'),
  });

  // IP lists: COPIED with the policy that uses it; the unused one is EXCLUDED NOT_REFERENCED.
  const headOffice = (
    await organizations.addIpList(caller, {
      ...on,
      name: 'Head office',
      description: 'Office network and VPN egress',
      ips: ['203.0.113.0/24', '198.51.100.10 - 198.51.100.20'],
    })
  ).item!.id;
  const legacyVpn = (
    await organizations.addIpList(caller, {
      ...on,
      name: 'Legacy VPN',
      ips: ['192.0.2.44'],
    })
  ).item!.id;

  // Conditional access policies.
  const accessPolicy = async (fields: Parameters<OrganizationService['addConditionalAccessPolicy']>[1]) =>
    (await organizations.addConditionalAccessPolicy(caller, fields)).item!.id;
  // One application by id: SKIPPED APP_SPECIFIC_POLICY.
  const salesforce = await accessPolicy({
    ...on,
    name: 'Salesforce needs MFA',
    type: 'application',
    targets: {
      userGroups: { inclusions: [engineering] },
      resources: [{ type: 'application', id: EXTERNAL.salesforceApp }],
    },
    effect: { action: 'allow', obligations: { mfa: { required: true }, mfaFactors: [{ type: 'PUSH' }] } },
  });
  // User-group inclusions and exclusions: COPIED with both remapped, or SKIPPED
  // USER_GROUP_NOT_CLONED when either group is deselected.
  const engineeringPolicy = await accessPolicy({
    ...on,
    name: 'Engineering: MFA on the User Portal',
    type: 'user_portal',
    targets: {
      userGroups: { inclusions: [engineering], exclusions: [contractors] },
      resources: [{ type: 'user_portal' }],
    },
    conditions: { all: [{ deviceManaged: true }, { not: { locationIn: { countries: ['KP', 'IR'] } } }] },
    effect: {
      action: 'allow',
      obligations: { mfa: { required: true }, mfaFactors: [{ type: 'TOTP' }, { type: 'WEBAUTHN' }] },
    },
  });
  // An IP list in its condition: COPIED, and the IP list with it.
  const officeOnly = await accessPolicy({
    ...on,
    name: 'Admin Portal only from the office',
    type: 'admin_portal',
    targets: { userGroups: { inclusions: [engineering] }, resources: [{ type: 'admin_portal' }] },
    conditions: { not: { ipAddressIn: [headOffice] } },
    effect: { action: 'deny' },
  });

  // Admin access: COPIED, or EXCLUDED for a deselected administrator.
  for (const administratorId of administratorIds) {
    await organizations.grantAdminAccess(caller, { ...on, administratorId });
  }

  return {
    organizationId,
    userGroups: { engineering, contractors },
    deviceGroups: { macFleet, windowsWorkstations },
    commands: { rootWithFiles, nonRootLinux, windows, macRoot },
    policies: { screensaver, firewall, bitlocker, chrome, kiosk },
    policyGroups: { macBaseline, windowsBaseline },
    ipLists: { headOffice, legacyVpn },
    conditionalAccessPolicies: { salesforce, engineering: engineeringPolicy, officeOnly },
    administratorIds: [...administratorIds],
  };
}
