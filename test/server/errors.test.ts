import { GraphQLError, locatedError } from 'graphql';
import { ArgumentValidationError, AuthenticationError, AuthorizationError } from 'type-graphql';
import { ValidationError as ClassValidatorError } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { ConcurrencyConflictError } from '../../src/application/errors.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PaymentRequiredError,
  UnauthenticatedError,
  ValidationError,
} from '../../src/domain/errors.js';
import {
  AppendTooLargeError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../../src/eventstore/errors.js';
import { BadUserInputError } from '../../src/server/api-errors.js';
import { formatError, httpStatusOf, mapError, requestError } from '../../src/server/errors.js';

/** As graphql-js hands a resolver's error to the formatter. */
const thrownBy = (error: Error) => locatedError(error, undefined, ['organization']);

describe('mapError', () => {
  it.each([
    [new UnauthenticatedError('the administrator is suspended'), { code: 'UNAUTHENTICATED' }],
    [new ForbiddenError('the administrator role does not allow this action'), { code: 'FORBIDDEN' }],
    [new NotFoundError('organization', 'org-1'), { code: 'NOT_FOUND' }],
    [new NotFoundError('device group', 'dg-1', 'bindings[0]'), { code: 'NOT_FOUND', field: 'bindings[0]' }],
    [
      new ValidationError('passwordPolicy.minLength', 'must be 8..64'),
      { code: 'BAD_USER_INPUT', field: 'passwordPolicy.minLength' },
    ],
    [new BadUserInputError('after', 'not a cursor'), { code: 'BAD_USER_INPUT', field: 'after' }],
    [
      new ConflictError('NAME_TAKEN', 'taken', 'name'),
      { code: 'CONFLICT', reason: 'NAME_TAKEN', field: 'name' },
    ],
    [new ConcurrencyConflictError('clone-1', 5), { code: 'CONFLICT', reason: 'CONCURRENT_MODIFICATION' }],
    [new PaymentRequiredError('this action needs a paid plan'), { code: 'PAYMENT_REQUIRED' }],
    [new AuthenticationError(), { code: 'UNAUTHENTICATED' }],
    [new AuthorizationError(), { code: 'FORBIDDEN' }],
  ])('maps %s thrown by a resolver by its code, keeping its message', (error, extensions) => {
    const mapped = mapError(thrownBy(error));
    expect(mapped).toEqual({ message: error.message, extensions, internal: false });
  });

  it.each([
    new WrongExpectedVersionError('organization-1', 1n, 2n),
    new StreamNotFoundError('clone-1'),
    new AppendTooLargeError('clone-1', 2_000_000, 1_048_576),
    new TypeError("Cannot read properties of undefined (reading 'id')"),
    new GraphQLError('a resolver threw a bare GraphQLError'),
    new GraphQLError('a resolver borrowing a request code', { extensions: { code: 'BAD_USER_INPUT' } }),
  ])('hides %s as INTERNAL_SERVER_ERROR', (error) => {
    expect(mapError(thrownBy(error))).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
      internal: true,
    });
  });

  it('hides what is not even an Error', () => {
    expect(mapError('a string').extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(mapError(undefined).extensions.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('keeps request-level errors of graphql-js, Apollo and our guards', () => {
    for (const code of [
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'BAD_USER_INPUT',
      'BAD_REQUEST',
    ] as const) {
      expect(mapError(requestError('Syntax Error: Expected Name', code))).toEqual({
        message: 'Syntax Error: Expected Name',
        extensions: { code },
        internal: false,
      });
    }
  });

  it('reduces a class-validator failure to the failing path and its messages', () => {
    const nested = Object.assign(new ClassValidatorError(), {
      property: 'values',
      value: [{ value: 'top-secret-password' }],
      children: [
        Object.assign(new ClassValidatorError(), {
          property: '0',
          children: [
            Object.assign(new ClassValidatorError(), {
              property: 'value',
              value: 'top-secret-password',
              constraints: { maxLength: 'value must be shorter than or equal to 8 characters' },
            }),
          ],
        }),
      ],
    });
    const mapped = mapError(thrownBy(new ArgumentValidationError([nested])));
    expect(mapped).toEqual({
      message: 'value must be shorter than or equal to 8 characters',
      extensions: { code: 'BAD_USER_INPUT', field: 'values.0.value' },
      internal: false,
    });
  });
});

describe('formatError', () => {
  it('keeps locations and path, replaces message and extensions', () => {
    const internal = thrownBy(new Error('ECONNREFUSED 10.0.0.7:2113'));
    const formatted = formatError(
      {
        message: internal.message,
        path: ['organization'],
        locations: [{ line: 1, column: 3 }],
        extensions: { stacktrace: ['x'] },
      },
      internal,
    );
    expect(formatted).toEqual({
      message: 'Internal server error',
      path: ['organization'],
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});

describe('httpStatusOf', () => {
  it('gives a whole-request failure the status its code calls for', () => {
    expect(httpStatusOf('UNAUTHENTICATED')).toBe(401);
    expect(httpStatusOf('FORBIDDEN')).toBe(403);
    expect(httpStatusOf('BAD_USER_INPUT')).toBe(400);
    expect(httpStatusOf('INTERNAL_SERVER_ERROR')).toBe(500);
  });
});
