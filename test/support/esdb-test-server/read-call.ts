import type * as grpc from '@grpc/grpc-js';
import type * as StreamsPb from '@eventstore/db-client/generated/streams_pb.js';

export type ReadCall = grpc.ServerWritableStream<StreamsPb.ReadReq, StreamsPb.ReadResp>;

/** Writes the responses of one `Read` call, waiting whenever gRPC flow control pushes back. */
export class ReadCallWriter {
  private cancelled = false;

  constructor(private readonly call: ReadCall) {
    call.on('cancelled', () => {
      this.cancelled = true;
    });
  }

  get isOpen(): boolean {
    return !this.cancelled && !this.call.writableEnded;
  }

  /** Resolves once the response is accepted; false when the call is over and nothing more should be sent. */
  async write(response: StreamsPb.ReadResp): Promise<boolean> {
    if (!this.isOpen) return false;
    if (!this.call.write(response)) await this.drained();
    return this.isOpen;
  }

  /** Writes without waiting: live events are buffered, as the real server buffers them per subscription. */
  push(response: StreamsPb.ReadResp): void {
    if (this.isOpen) this.call.write(response);
  }

  end(): void {
    if (this.isOpen) this.call.end();
  }

  fail(status: Partial<grpc.StatusObject>): void {
    if (this.isOpen) this.call.emit('error', status);
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.call.off('drain', done);
        this.call.off('cancelled', done);
        this.call.off('finish', done);
        resolve();
      };
      this.call.on('drain', done);
      this.call.on('cancelled', done);
      this.call.on('finish', done);
    });
  }
}
