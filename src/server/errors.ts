/**
 * The one place that turns errors into what a GraphQL client sees. A product error (an
 * `OrgcloneError`) keeps its message and travels as `extensions.code` from a table keyed by its
 * `code`; request errors raised by graphql-js, Apollo or our guards before execution keep theirs;
 * everything else is internal: a generic message goes out, the real error goes to the log.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError, AuthenticationError, AuthorizationError } from 'type-graphql';
import { OrgcloneError } from '../shared/errors.js';

export type ApiErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'PAYMENT_REQUIRED'
  | 'INTERNAL_SERVER_ERROR'
  | RequestErrorCode;

/**
 * Codes of errors about the request as a whole (no `path`): Apollo's own, and the ones our
 * WebSocket path and limits attach. Their messages describe the request, never server state.
 */
const REQUEST_ERROR_CODES = [
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
] as const;
export type RequestErrorCode = (typeof REQUEST_ERROR_CODES)[number];

type ExposedField = 'field' | 'reason';

interface CodeMapping {
  code: ApiErrorCode;
  /** Properties of the error that travel in `extensions` when they are strings. */
  expose: readonly ExposedField[];
}

/**
 * `OrgcloneError.code` → API code. Codes absent from this table (event store failures such as
 * WRONG_EXPECTED_VERSION or APPEND_TOO_LARGE) are bugs or outages from the caller's point of view
 * and stay internal.
 */
const PUBLIC_CODES: Readonly<Record<string, CodeMapping>> = {
  UNAUTHENTICATED: { code: 'UNAUTHENTICATED', expose: [] },
  FORBIDDEN: { code: 'FORBIDDEN', expose: [] },
  NOT_FOUND: { code: 'NOT_FOUND', expose: ['field'] },
  VALIDATION_FAILED: { code: 'BAD_USER_INPUT', expose: ['field'] },
  BAD_USER_INPUT: { code: 'BAD_USER_INPUT', expose: ['field'] },
  CONFLICT: { code: 'CONFLICT', expose: ['reason', 'field'] },
  PAYMENT_REQUIRED: { code: 'PAYMENT_REQUIRED', expose: [] },
};

export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

export interface ApiErrorExtensions {
  code: ApiErrorCode;
  field?: string;
  reason?: string;
}

export interface MappedError {
  message: string;
  extensions: ApiErrorExtensions;
  /** The real error is hidden from the client: log it. */
  internal: boolean;
}

const INTERNAL: MappedError = {
  message: INTERNAL_ERROR_MESSAGE,
  extensions: { code: 'INTERNAL_SERVER_ERROR' },
  internal: true,
};

export function mapError(error: unknown): MappedError {
  if (
    error instanceof GraphQLError &&
    !(error instanceof ArgumentValidationError) &&
    error.path === undefined &&
    isRequestErrorCode(error.extensions.code)
  ) {
    return publicError(error.message, { code: error.extensions.code });
  }
  return mapCause(error);
}

/** What a resolver, a scalar or the context factory threw; request codes are not trusted here. */
function mapCause(error: unknown): MappedError {
  if (error instanceof ArgumentValidationError) return mapArgumentValidationError(error);
  if (error instanceof AuthenticationError) return publicError(error.message, { code: 'UNAUTHENTICATED' });
  if (error instanceof AuthorizationError) return publicError(error.message, { code: 'FORBIDDEN' });
  if (error instanceof OrgcloneError) return mapProductError(error);
  if (error instanceof GraphQLError && error.originalError !== undefined && error.originalError !== error) {
    return mapCause(error.originalError);
  }
  return INTERNAL;
}

/** Apollo's `formatError`: the same mapping, keeping the location and path graphql-js computed. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  return formattedError(mapError(error), formatted);
}

export function formattedError(mapped: MappedError, located: GraphQLFormattedError): GraphQLFormattedError {
  return {
    message: mapped.message,
    ...(located.locations ? { locations: located.locations } : {}),
    ...(located.path ? { path: located.path } : {}),
    extensions: { ...mapped.extensions },
  };
}

/** The HTTP status of a response that failed as a whole with this code (context creation, limits). */
export function httpStatusOf(code: ApiErrorCode): number {
  switch (code) {
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'INTERNAL_SERVER_ERROR':
      return 500;
    default:
      return 400;
  }
}

/** A request-level error our own guards raise (depth, complexity, WebSocket parse/validation). */
export function requestError(
  message: string,
  code: RequestErrorCode,
  nodes?: GraphQLError['nodes'],
): GraphQLError {
  return new GraphQLError(message, { ...(nodes ? { nodes } : {}), extensions: { code } });
}

function mapProductError(error: OrgcloneError): MappedError {
  const mapping = PUBLIC_CODES[error.code];
  if (!mapping) return INTERNAL;
  const extensions: ApiErrorExtensions = { code: mapping.code };
  for (const name of mapping.expose) {
    const value: unknown = (error as unknown as Record<ExposedField, unknown>)[name];
    if (typeof value === 'string') extensions[name] = value;
  }
  return publicError(error.message, extensions);
}

/**
 * type-graphql's class-validator failure. Its extensions carry the validated objects (input values,
 * possibly secrets): only the first failing property path and its constraint messages go out.
 */
function mapArgumentValidationError(error: ArgumentValidationError): MappedError {
  const [first] = error.extensions.validationErrors;
  if (!first) return publicError('Argument validation failed', { code: 'BAD_USER_INPUT' });
  let failure = first;
  let field = first.property;
  while (!failure.constraints && failure.children?.[0]) {
    failure = failure.children[0];
    field = `${field}.${failure.property}`;
  }
  // class-validator's messages name the property already ("name must be shorter than …").
  const reasons = Object.values(failure.constraints ?? {});
  const message = reasons.length > 0 ? reasons.join('; ') : `${field}: invalid value`;
  return publicError(message, { code: 'BAD_USER_INPUT', field });
}

function publicError(message: string, extensions: ApiErrorExtensions): MappedError {
  return { message, extensions, internal: false };
}

function isRequestErrorCode(code: unknown): code is RequestErrorCode {
  return typeof code === 'string' && (REQUEST_ERROR_CODES as readonly string[]).includes(code);
}
