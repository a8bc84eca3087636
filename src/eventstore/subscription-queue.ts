import type { Subscription, SubscriptionMessage } from './types.js';

/**
 * Turns a push source (a poller, a gRPC stream) into a `Subscription`: an async iterator that yields
 * messages in the order they were pushed and ends on `unsubscribe()` or after `fail(error)` (the
 * error is thrown from the iterator once the messages before it are consumed).
 */
export class SubscriptionQueue implements Subscription {
  private readonly buffer: SubscriptionMessage[] = [];
  private waiting: ((result: IteratorResult<SubscriptionMessage>) => void) | null = null;
  private failWaiting: ((error: unknown) => void) | null = null;
  private ended = false;
  private failure: unknown = undefined;
  private failed = false;

  constructor(private readonly onStop: () => Promise<void> | void) {}

  /** Buffered messages not yet consumed: a producer can pause while this is large. */
  get backlog(): number {
    return this.buffer.length;
  }

  get isEnded(): boolean {
    return this.ended || this.failed;
  }

  push(message: SubscriptionMessage): void {
    if (this.isEnded) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      this.failWaiting = null;
      resolve({ value: message, done: false });
    } else {
      this.buffer.push(message);
    }
  }

  fail(error: unknown): void {
    if (this.isEnded) return;
    this.failed = true;
    this.failure = error;
    if (this.failWaiting) {
      const reject = this.failWaiting;
      this.waiting = null;
      this.failWaiting = null;
      reject(error);
    }
    void this.onStop();
  }

  async unsubscribe(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.buffer.length = 0;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      this.failWaiting = null;
      resolve({ value: undefined, done: true });
    }
    await this.onStop();
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    return {
      next: () => {
        const message = this.buffer.shift();
        if (message) return Promise.resolve({ value: message, done: false });
        if (this.failed) return Promise.reject(this.failure);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waiting = resolve;
          this.failWaiting = reject;
        });
      },
      return: async () => {
        await this.unsubscribe();
        return { value: undefined, done: true };
      },
    };
  }
}
