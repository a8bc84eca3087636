import type * as grpc from '@grpc/grpc-js';
import type * as ServerFeaturesPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import type * as SharedPb from '@eventstore/db-client/generated/shared_pb.js';
import { serverFeaturesPb } from './protocol.js';

/** The server version whose behaviour the test server reproduces (CaughtUp on subscriptions, $all positions on stream reads). */
const SERVER_VERSION = '24.2.0';

/**
 * `ServerFeatures.GetSupportedMethods`, which the client asks once per connection. Listing BatchAppend makes
 * the client append the way it does against a real server; names and features as the real server reports them.
 */
const SUPPORTED: ReadonlyArray<{ method: string; features: string[] }> = [
  { method: 'read', features: ['position', 'events'] },
  { method: 'append', features: [] },
  { method: 'batchappend', features: ['deadline_duration'] },
];

export function serverFeaturesService(): grpc.UntypedServiceImplementation {
  return {
    getSupportedMethods(
      _call: grpc.ServerUnaryCall<SharedPb.Empty, ServerFeaturesPb.SupportedMethods>,
      callback: grpc.sendUnaryData<ServerFeaturesPb.SupportedMethods>,
    ) {
      const methods = SUPPORTED.map(({ method, features }) =>
        new serverFeaturesPb.SupportedMethod()
          .setServiceName('event_store.client.streams.streams')
          .setMethodName(method)
          .setFeaturesList(features),
      );
      callback(
        null,
        new serverFeaturesPb.SupportedMethods()
          .setEventStoreServerVersion(SERVER_VERSION)
          .setMethodsList(methods),
      );
    },
  };
}
