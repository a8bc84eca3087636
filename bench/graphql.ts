import { randomUUID } from 'node:crypto';
import { deepStrictEqual } from 'node:assert/strict';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import {
  execute,
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLID,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFieldConfigMap,
  type GraphQLOutputType,
} from 'graphql';
import type DataLoader from 'dataloader';
import { NotFoundError } from '../src/domain/errors.js';
import type { AdministratorRecord } from '../src/projections/providers/queries.js';
import { orgcloneContext, type OrgcloneContext } from '../src/resolvers/context.js';
import {
  adminAccessOf,
  administratorById,
  commandsOf,
  conditionalAccessPoliciesOf,
  deviceGroupsOf,
  ipListsOf,
  policiesOf,
  policyGroupsOf,
  userGroupsOf,
  visibleOrganizationById,
} from '../src/resolvers/loaders.js';
import { organizationOf } from '../src/resolvers/organization.mapping.js';
import { buildOrgcloneSchema } from '../src/schema/build-schema.js';
import {
  AdministratorRoleEnum,
  CommandTypeEnum,
  ConditionalAccessActionEnum,
  ConditionalAccessPolicyTypeEnum,
  LaunchTypeEnum,
  MembershipMethodEnum,
  OrganizationStatusEnum,
  OrgAccessEnum,
  PasswordComplianceEnum,
} from '../src/schema/enums.js';
import { BigIntString, DateTime, JSONValue } from '../src/schema/scalars.js';
import { createGraphQLContext } from '../src/server/context.js';
import { formatError } from '../src/server/errors.js';
import { maxDepthRule } from '../src/server/limits.js';
import { DEFAULT_MAX_DEPTH } from '../src/server/server.js';
import { median } from './stats.js';
import { openBenchWorld, type BenchWorld } from './support.js';

/**
 * SPEC §10: the request overhead of Apollo Server + type-graphql against raw graphql-js on the same
 * query, in-process (no HTTP on either side).
 *
 * The query reads one organization of about 100 items (settings, features, MFA, commands, policies
 * with their values, policy groups, user and device groups, IP lists, conditional access policies,
 * administrators). Apollo side: `executeOperation` on the real schema (`buildOrgcloneSchema`) with
 * the server's options that act on every operation (validation rule, error formatting, plugins
 * disabled as in src/server/server.ts) and the context the server builds per request.
 * Raw side: graphql-js `execute` on a hand-written schema of the same types whose resolvers make
 * the same read-model calls through the same per-request DataLoaders and map the organization with
 * the same function; its document is parsed and validated once, as Apollo's document cache does
 * for a repeated query. Both get a fresh context per request; the two results are checked equal
 * before the clock starts. Rounds alternate which side goes first; the ratio is the median of the
 * per-round ratios of Apollo's time to raw graphql-js's time.
 */

const SOURCE_ITEMS = 112;

const ORGANIZATION_QUERY = /* GraphQL */ `
  query Organization($id: ID!) {
    organization(id: $id) {
      id
      displayName
      status
      version
      created
      clonedFrom {
        cloneId
        sourceOrganizationId
        sourceVersion
      }
      settings {
        userPortal {
          systemUsersCanEdit
          idleSessionDurationMinutes
        }
        passwordSettings {
          passwordCompliance
          passwordPolicy {
            minLength
            needsUppercase
            maxLoginAttempts
          }
        }
      }
      features {
        directoryInsights
        systemInsights
        remoteAssist
      }
      mfa {
        totp {
          enabled
        }
        webAuthn {
          enabled
          allowSelfRegistration
        }
      }
      userCount
      deviceCount
      commands {
        id
        name
        command
        commandType
        user
        sudo
        launchType
        timeout
        deviceGroupIds
        clonedFromId
      }
      policies {
        id
        name
        templateId
        values {
          configFieldID
          value
          sensitive
        }
        deviceGroupIds
      }
      policyGroups {
        id
        name
        policyIds
        deviceGroupIds
      }
      userGroups {
        id
        name
        membershipMethod
        memberUserIds
      }
      deviceGroups {
        id
        name
        membershipMethod
        memberDeviceIds
      }
      ipLists {
        id
        name
        ips
      }
      conditionalAccessPolicies {
        id
        name
        disabled
        type
        targets {
          userGroups {
            inclusions
            exclusions
          }
        }
        conditions
        effect {
          action
        }
      }
      admins {
        id
        email
        roleName
        orgAccess
      }
    }
  }
`;

// ---- the hand-written graphql-js schema -----------------------------------------------------------

const nonNull = <T extends GraphQLOutputType>(type: T) => new GraphQLNonNull(type);
const listOf = <T extends GraphQLOutputType>(type: T) => nonNull(new GraphQLList(nonNull(type)));

function enumType(name: string, members: Readonly<Record<string, string>>): GraphQLEnumType {
  return new GraphQLEnumType({
    name,
    values: Object.fromEntries(Object.entries(members).map(([key, value]) => [key, { value }])),
  });
}

function objectType(
  name: string,
  fields: GraphQLFieldConfigMap<unknown, OrgcloneContext>,
): GraphQLObjectType<unknown, OrgcloneContext> {
  return new GraphQLObjectType({ name, fields });
}

const scalars = (spec: Record<string, GraphQLOutputType>) =>
  Object.fromEntries(Object.entries(spec).map(([name, type]) => [name, { type }]));

function rawSchema(): GraphQLSchema {
  const ids = listOf(GraphQLID);
  const itemsOf = (loader: (ctx: OrgcloneContext) => DataLoader<string, unknown[]>) => ({
    resolve: (organization: unknown, _args: unknown, ctx: OrgcloneContext) =>
      ctx.loaders.get(loader).load((organization as { id: string }).id),
  });
  const Command = objectType(
    'Command',
    scalars({
      id: nonNull(GraphQLID),
      name: nonNull(GraphQLString),
      command: nonNull(GraphQLString),
      commandType: nonNull(enumType('CommandType', CommandTypeEnum)),
      user: nonNull(GraphQLString),
      sudo: nonNull(GraphQLBoolean),
      launchType: nonNull(enumType('LaunchType', LaunchTypeEnum)),
      timeout: nonNull(GraphQLInt),
      deviceGroupIds: ids,
      clonedFromId: GraphQLID,
    }),
  );
  const PolicyValue = objectType(
    'PolicyValue',
    scalars({ configFieldID: nonNull(GraphQLID), value: JSONValue, sensitive: nonNull(GraphQLBoolean) }),
  );
  const Policy = objectType(
    'Policy',
    scalars({
      id: nonNull(GraphQLID),
      name: nonNull(GraphQLString),
      templateId: nonNull(GraphQLID),
      values: listOf(PolicyValue),
      deviceGroupIds: ids,
    }),
  );
  const PolicyGroup = objectType(
    'PolicyGroup',
    scalars({ id: nonNull(GraphQLID), name: nonNull(GraphQLString), policyIds: ids, deviceGroupIds: ids }),
  );
  const MembershipMethod = enumType('MembershipMethod', MembershipMethodEnum);
  const UserGroup = objectType(
    'UserGroup',
    scalars({
      id: nonNull(GraphQLID),
      name: nonNull(GraphQLString),
      membershipMethod: nonNull(MembershipMethod),
      memberUserIds: ids,
    }),
  );
  const DeviceGroup = objectType(
    'DeviceGroup',
    scalars({
      id: nonNull(GraphQLID),
      name: nonNull(GraphQLString),
      membershipMethod: nonNull(MembershipMethod),
      memberDeviceIds: ids,
    }),
  );
  const IpList = objectType(
    'IpList',
    scalars({ id: nonNull(GraphQLID), name: nonNull(GraphQLString), ips: listOf(GraphQLString) }),
  );
  const ConditionalAccessPolicy = objectType(
    'ConditionalAccessPolicy',
    scalars({
      id: nonNull(GraphQLID),
      name: nonNull(GraphQLString),
      disabled: nonNull(GraphQLBoolean),
      type: nonNull(enumType('ConditionalAccessPolicyType', ConditionalAccessPolicyTypeEnum)),
      targets: nonNull(
        objectType(
          'ConditionalAccessTargets',
          scalars({
            userGroups: nonNull(
              objectType('ConditionalAccessUserGroupTargets', scalars({ inclusions: ids, exclusions: ids })),
            ),
          }),
        ),
      ),
      conditions: JSONValue,
      effect: nonNull(
        objectType(
          'ConditionalAccessEffect',
          scalars({ action: nonNull(enumType('ConditionalAccessAction', ConditionalAccessActionEnum)) }),
        ),
      ),
    }),
  );
  const Administrator = objectType(
    'Administrator',
    scalars({
      id: nonNull(GraphQLID),
      email: nonNull(GraphQLString),
      roleName: nonNull(enumType('AdministratorRole', AdministratorRoleEnum)),
      orgAccess: nonNull(enumType('OrgAccess', OrgAccessEnum)),
    }),
  );
  const enabled = objectType('MfaMethodSettings', scalars({ enabled: nonNull(GraphQLBoolean) }));
  const Organization = objectType('Organization', {
    ...scalars({
      id: nonNull(GraphQLID),
      displayName: nonNull(GraphQLString),
      status: nonNull(enumType('OrganizationStatus', OrganizationStatusEnum)),
      version: nonNull(BigIntString),
      created: nonNull(DateTime),
      clonedFrom: objectType(
        'ClonedFrom',
        scalars({
          cloneId: nonNull(GraphQLID),
          sourceOrganizationId: nonNull(GraphQLID),
          sourceVersion: nonNull(BigIntString),
        }),
      ),
      settings: nonNull(
        objectType(
          'OrganizationSettings',
          scalars({
            userPortal: nonNull(
              objectType(
                'UserPortalSettings',
                scalars({
                  systemUsersCanEdit: nonNull(GraphQLBoolean),
                  idleSessionDurationMinutes: nonNull(GraphQLInt),
                }),
              ),
            ),
            passwordSettings: nonNull(
              objectType(
                'PasswordSettings',
                scalars({
                  passwordCompliance: nonNull(enumType('PasswordCompliance', PasswordComplianceEnum)),
                  passwordPolicy: nonNull(
                    objectType(
                      'PasswordPolicy',
                      scalars({
                        minLength: nonNull(GraphQLInt),
                        needsUppercase: nonNull(GraphQLBoolean),
                        maxLoginAttempts: nonNull(GraphQLInt),
                      }),
                    ),
                  ),
                }),
              ),
            ),
          }),
        ),
      ),
      features: nonNull(
        objectType(
          'Features',
          scalars({
            directoryInsights: nonNull(GraphQLBoolean),
            systemInsights: nonNull(GraphQLBoolean),
            remoteAssist: nonNull(GraphQLBoolean),
          }),
        ),
      ),
      mfa: nonNull(
        objectType(
          'MfaConfiguration',
          scalars({
            totp: nonNull(enabled),
            webAuthn: nonNull(
              objectType(
                'WebAuthnSettings',
                scalars({ enabled: nonNull(GraphQLBoolean), allowSelfRegistration: nonNull(GraphQLBoolean) }),
              ),
            ),
          }),
        ),
      ),
      userCount: nonNull(GraphQLInt),
      deviceCount: nonNull(GraphQLInt),
    }),
    commands: { type: listOf(Command), ...itemsOf(commandsOf) },
    policies: { type: listOf(Policy), ...itemsOf(policiesOf) },
    policyGroups: { type: listOf(PolicyGroup), ...itemsOf(policyGroupsOf) },
    userGroups: { type: listOf(UserGroup), ...itemsOf(userGroupsOf) },
    deviceGroups: { type: listOf(DeviceGroup), ...itemsOf(deviceGroupsOf) },
    ipLists: { type: listOf(IpList), ...itemsOf(ipListsOf) },
    conditionalAccessPolicies: {
      type: listOf(ConditionalAccessPolicy),
      ...itemsOf(conditionalAccessPoliciesOf),
    },
    admins: {
      type: listOf(Administrator),
      async resolve(organization, _args, ctx) {
        const accesses = await ctx.loaders.get(adminAccessOf).load((organization as { id: string }).id);
        const administrators = await ctx.loaders
          .get(administratorById)
          .loadMany(accesses.map((access) => access.administratorId));
        return administrators.filter((administrator): administrator is AdministratorRecord => {
          if (administrator instanceof Error) throw administrator;
          return administrator !== null;
        });
      },
    },
  });
  return new GraphQLSchema({
    query: objectType('Query', {
      organization: {
        type: nonNull(Organization),
        args: { id: { type: nonNull(GraphQLID) } },
        async resolve(_root, args: { id: string }, ctx) {
          const record = await ctx.loaders.get(visibleOrganizationById).load(args.id);
          if (!record) throw new NotFoundError('organization', args.id, 'id');
          return organizationOf(record);
        },
      },
    }),
  });
}

// ---- the two sides --------------------------------------------------------------------------------

type Side = () => Promise<ExecutionResult['data']>;

function contextOf(world: BenchWorld): Promise<OrgcloneContext> {
  return createGraphQLContext(
    {
      requestId: randomUUID(),
      principal: world.caller().principal,
      logger: world.runtime.logger,
      transport: 'http',
    },
    orgcloneContext(world.runtime.services),
  );
}

async function apolloSide(
  world: BenchWorld,
  variables: { id: string },
): Promise<{ run: Side; stop: () => Promise<void> }> {
  const apollo = new ApolloServer<OrgcloneContext>({
    schema: await buildOrgcloneSchema(),
    validationRules: [maxDepthRule(DEFAULT_MAX_DEPTH)],
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: true,
    logger: world.runtime.logger,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()],
  });
  await apollo.start();
  return {
    async run() {
      const response = await apollo.executeOperation(
        { query: ORGANIZATION_QUERY, variables },
        { contextValue: await contextOf(world) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      const { data, errors } = response.body.singleResult;
      if (errors?.length) throw new Error(`Apollo: ${JSON.stringify(errors)}`);
      return data;
    },
    stop: () => apollo.stop(),
  };
}

function rawSide(world: BenchWorld, variables: { id: string }): Side {
  const schema = rawSchema();
  const document: DocumentNode = parse(ORGANIZATION_QUERY);
  const problems = validate(schema, document, [maxDepthRule(DEFAULT_MAX_DEPTH)]);
  if (problems.length > 0) throw new Error(`raw schema: ${problems.map((p) => p.message).join('; ')}`);
  return async () => {
    const result = await execute({
      schema,
      document,
      variableValues: variables,
      contextValue: await contextOf(world),
    });
    if (result.errors?.length) throw new Error(`graphql-js: ${JSON.stringify(result.errors)}`);
    return result.data;
  };
}

/** Requests per second over `count` requests made one after another. */
async function rate(side: Side, count: number): Promise<number> {
  const startedAt = performance.now();
  for (let request = 0; request < count; request++) await side();
  return count / ((performance.now() - startedAt) / 1000);
}

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

export async function runGraphqlBench(opts: { quick: boolean }): Promise<Record<string, number>> {
  // Many short rounds, the sides taking turns: a burst of load from elsewhere on a shared machine
  // then skews a few rounds, which the median leaves out, rather than one side's whole figure.
  const requests = 100;
  const rounds = opts.quick ? 15 : 40;
  const world = await openBenchWorld();
  try {
    const source = await world.seedSource(SOURCE_ITEMS);
    const variables = { id: source.id };
    const apollo = await apolloSide(world, variables);
    try {
      const raw = rawSide(world, variables);
      const expected = plain(await apollo.run());
      deepStrictEqual(plain(await raw()), expected);
      const organization = (expected as { organization: Record<string, unknown> }).organization;
      const items = Object.values(organization)
        .filter(Array.isArray)
        .reduce((sum, list) => sum + list.length, 0);

      await rate(apollo.run, 5 * requests);
      await rate(raw, 5 * requests);
      const apolloRates: number[] = [];
      const rawRates: number[] = [];
      const ratios: number[] = [];
      for (let round = 0; round < rounds; round++) {
        let apolloRate: number;
        let rawRate: number;
        if (round % 2 === 0) {
          apolloRate = await rate(apollo.run, requests);
          rawRate = await rate(raw, requests);
        } else {
          rawRate = await rate(raw, requests);
          apolloRate = await rate(apollo.run, requests);
        }
        apolloRates.push(apolloRate);
        rawRates.push(rawRate);
        // Time per request is the inverse of the rate: Apollo's time ÷ raw graphql-js's time.
        ratios.push(rawRate / apolloRate);
      }
      return {
        apollo_req_per_s: Math.round(median(apolloRates)),
        raw_graphql_req_per_s: Math.round(median(rawRates)),
        apollo_overhead_ratio: Math.round(median(ratios) * 1000) / 1000,
        query_items: items,
        response_bytes: JSON.stringify({ data: expected }).length,
        requests_per_round: requests,
        rounds,
      };
    } finally {
      await apollo.stop();
    }
  } finally {
    await world.close();
  }
}
