/**
 * Real server processes for the reliability tests (`test/support/server-child.ts`, run as built by
 * `child-build.ts`): started on a data directory, talked to over HTTP and WebSocket, killed with SIGKILL, started again.
 *
 * A child takes seconds to load its code on a busy machine and touches no data meanwhile, so the
 * launcher keeps the next one loaded while the current one works: a restart after a kill then costs
 * opening the store and the read model, as it does for a real process that was already loaded.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CloneProgress, CloneStep } from '../../../src/clone/runner.js';
import { buildServerChild } from './child-build.js';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

type ChildMessage = {
  ready?: { url: string; wsUrl: string };
  holding?: CloneStep;
  step?: CloneStep;
  progress?: CloneProgress;
};

export class ServerProcess {
  readonly steps: CloneStep[] = [];
  /** When each step was announced (ms since the epoch). */
  readonly stepTimes: number[] = [];
  readonly progress: CloneProgress[] = [];
  /** The step its clone run holds at, waiting for `killHeld` (`TEST_HOLD_KILL`). */
  holding: CloneStep | null = null;
  readonly exited: Promise<ChildExit>;
  /** When it was handed its data directory (ms since the epoch). */
  startedAt = 0;
  stderr = '';
  private endpoints: { url: string; wsUrl: string } | null = null;
  private exit: ChildExit | null = null;
  private readonly listeners = new Set<() => void>();

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as ChildMessage;
      if (message.ready) this.endpoints = message.ready;
      if (message.holding) this.holding = message.holding;
      if (message.step) {
        this.steps.push(message.step);
        this.stepTimes.push(Date.now());
      }
      if (message.progress) this.progress.push(message.progress);
      this.changed();
    });
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        this.changed();
        resolve(this.exit);
      }),
    );
  }

  /** A process loading `entry` (`buildServerChild()`), then waiting for `start`. */
  static load(entry: string): ServerProcess {
    return new ServerProcess(spawn(process.execPath, [entry]));
  }

  /** Hands it its environment; it opens the store and serves. */
  start(env: Record<string, string>): void {
    this.startedAt = Date.now();
    this.child.stdin.write(`${JSON.stringify({ env })}\n`);
  }

  get alive(): boolean {
    return this.exit === null;
  }

  get url(): string {
    if (!this.endpoints) throw new Error('the server process is not serving');
    return this.endpoints.url;
  }

  get wsUrl(): string {
    if (!this.endpoints) throw new Error('the server process is not serving');
    return this.endpoints.wsUrl;
  }

  /**
   * Resolves once it serves and says it is ready (`/readyz`: its read models caught up, as a load
   * balancer would wait for); false if it died first (a kill point may come before it serves).
   */
  async ready(timeoutMs = 60_000): Promise<boolean> {
    const started = performance.now();
    await this.until(() => this.endpoints !== null || !this.alive, timeoutMs, 'serve');
    while (this.alive) {
      try {
        const response = await fetch(new URL('/readyz', this.url));
        if (response.ok) return true;
      } catch {
        // Dying, or not listening yet.
      }
      if (performance.now() - started > timeoutMs) throw new Error(`not ready within ${timeoutMs} ms`);
      await sleep(10);
    }
    return false;
  }

  /** Resolves once `condition` holds (checked on every message and on exit). */
  async until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (condition()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`server process did not ${what} within ${timeoutMs} ms; stderr:\n${this.stderr}`));
      }, timeoutMs);
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
    });
  }

  /** Lets a process holding at its kill point kill itself there. */
  async killHeld(): Promise<ChildExit> {
    this.child.stdin.write('kill\n');
    return this.exited;
  }

  async kill(): Promise<ChildExit> {
    if (this.alive) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** SIGTERM: it stops serving, lets the clones reach a batch boundary, closes the store. */
  async stop(): Promise<ChildExit> {
    if (this.alive) this.child.kill('SIGTERM');
    return this.exited;
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** Starts server processes, keeping the next ones loaded. */
export class ServerLauncher {
  private readonly loaded: ServerProcess[] = [];
  private readonly launched: ServerProcess[] = [];
  private readonly entry = buildServerChild();

  /** `ahead`: processes kept loading in parallel, for tests that go through many. */
  constructor(private readonly ahead = 2) {}

  /** Loads the next processes ahead of time. */
  preload(): void {
    while (this.loaded.length < this.ahead) this.loaded.push(ServerProcess.load(this.entry));
  }

  /** A server process on `env`, already starting; another one starts loading. */
  launch(env: Record<string, string>): ServerProcess {
    const server = this.loaded.shift() ?? ServerProcess.load(this.entry);
    this.preload();
    this.launched.push(server);
    server.start(env);
    return server;
  }

  /** Kills every process it started and the ones loaded ahead. */
  async close(): Promise<void> {
    const all = [...this.launched.splice(0), ...this.loaded.splice(0)];
    await Promise.all(all.map((server) => server.kill()));
  }
}
