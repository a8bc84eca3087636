import { createRequire } from 'node:module';
import type * as AnyPb from 'google-protobuf/google/protobuf/any_pb.js';
import type * as EmptyPb from 'google-protobuf/google/protobuf/empty_pb.js';
import type * as CodePb from '@eventstore/db-client/generated/code_pb.js';
import type * as ServerFeaturesGrpc from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import type * as ServerFeaturesPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import type * as SharedPb from '@eventstore/db-client/generated/shared_pb.js';
import type * as StatusPb from '@eventstore/db-client/generated/status_pb.js';
import type * as StreamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import type * as StreamsPb from '@eventstore/db-client/generated/streams_pb.js';

/*
 * The service definitions and messages that ship inside @eventstore/db-client, loaded the way the client
 * itself loads them: its generated code requires the google-protobuf copy nested in the client package, so
 * the well-known types (Any, Empty) must come from that copy too, or messages built here would not
 * serialise inside the client's own message classes.
 */
const requireFromClient = createRequire(
  createRequire(import.meta.url).resolve('@eventstore/db-client/generated/streams_pb.js'),
);

export const streamsPb = requireFromClient('./streams_pb.js') as typeof StreamsPb;
export const streamsGrpc = requireFromClient('./streams_grpc_pb.js') as typeof StreamsGrpc;
export const sharedPb = requireFromClient('./shared_pb.js') as typeof SharedPb;
export const statusPb = requireFromClient('./status_pb.js') as typeof StatusPb;
export const codePb = requireFromClient('./code_pb.js') as typeof CodePb;
export const serverFeaturesPb = requireFromClient('./serverfeatures_pb.js') as typeof ServerFeaturesPb;
export const serverFeaturesGrpc = requireFromClient(
  './serverfeatures_grpc_pb.js',
) as typeof ServerFeaturesGrpc;
export const anyPb = requireFromClient('google-protobuf/google/protobuf/any_pb.js') as typeof AnyPb;
export const emptyPb = requireFromClient('google-protobuf/google/protobuf/empty_pb.js') as typeof EmptyPb;
