import type { LoggedEvent, ProposedEvent } from './event-log.js';

/**
 * Faults a test injects into the test server: every connection lost in the middle of an append (before
 * or after it is committed) or of a subscription, as when a node's network goes down. The server then
 * stops serving, so every call in flight fails (UNAVAILABLE or CANCELLED on the client) and no answer
 * goes out, and it serves again on the same port, with the same events, after `outageMs`.
 *
 * An append dropped after its commit is the hard case for a client: it sees a failure although the
 * events are stored, and must find that out rather than write them twice.
 */
export type AppendFault = 'drop-before-commit' | 'drop-after-commit';

export type SubscriptionPhase = 'catching-up' | 'live';

export interface FaultPlan {
  /** Asked before each append is committed (unary `Append`, and each write of a `BatchAppend`). */
  append?(streamName: string, events: readonly ProposedEvent[]): AppendFault | undefined;
  /** Asked before a catch-up subscription sends an event; true drops every connection instead. */
  subscriptionEvent?(event: LoggedEvent, phase: SubscriptionPhase): boolean;
  /** How long the server stays unreachable after a drop; default 100 ms. */
  outageMs?: number;
}

export interface FaultRecord {
  kind: AppendFault | `drop-while-${SubscriptionPhase}`;
  streamName: string;
  at: number;
}

export class Faults {
  private plan: FaultPlan = {};
  /** From a drop until the server serves again: nothing is committed or sent meanwhile. */
  private down = false;
  /** Every drop so far, in order. */
  readonly injected: FaultRecord[] = [];

  /** `drop` stops serving, and serves again after the outage. */
  constructor(private readonly drop: (outageMs: number) => void) {}

  /** The server serves (again): calls are answered as usual. */
  serving(): void {
    this.down = false;
  }

  /** Dropping or dropped: the server answers nothing until it serves again. */
  get isDown(): boolean {
    return this.down;
  }

  inject(plan: FaultPlan): void {
    this.plan = plan;
  }

  /** What to do with an append about to be committed: undefined commits and answers it as usual. */
  beforeAppend(streamName: string, events: readonly ProposedEvent[]): AppendFault | undefined {
    if (this.down) return 'drop-before-commit';
    const fault = this.plan.append?.(streamName, events);
    if (fault) this.dropConnections(fault, streamName);
    return fault;
  }

  /** Whether a subscription must not send this event: the connections are being dropped. */
  dropsSubscriptionAt(event: LoggedEvent, phase: SubscriptionPhase): boolean {
    if (this.down) return true;
    if (!this.plan.subscriptionEvent?.(event, phase)) return false;
    this.dropConnections(`drop-while-${phase}`, event.streamName);
    return true;
  }

  private dropConnections(kind: FaultRecord['kind'], streamName: string): void {
    this.injected.push({ kind, streamName, at: Date.now() });
    this.down = true;
    // After the handler returns: the append is committed or not by then, and nothing is answered.
    setImmediate(() => this.drop(this.plan.outageMs ?? 100));
  }
}
