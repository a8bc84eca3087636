import { serveRuntime } from '../src/app/runtime.js';
import { median, percentile } from './stats.js';
import { issueKey, openBenchWorld } from './support.js';

/**
 * SPEC §10: `clonePreview` of a 10,000-item organization over real HTTP, as the wizard asks for it
 * (plan id, totals, pre-flight findings, the first page of items and the deselection effects), one
 * request at a time after warm-up requests; p50 and p99 of the response times seen by `fetch`.
 */

const PREVIEW = `
  query Preview($input: ClonePreviewInput!) {
    clonePreview(input: $input) {
      planId sourceVersion userCount deviceCount
      totals { category copied copiedWithOmissions resetToDefault skipped excluded total }
      preflight { code severity message field }
      items(first: 100) { edges { node { index kind name outcome reasons omittedFields newId } } pageInfo { endCursor hasNextPage } }
    }
  }`;

export async function runPreviewBench(opts: { quick: boolean }): Promise<Record<string, number>> {
  const itemCount = 10_000;
  const warmUp = 5;
  const requests = opts.quick ? 20 : 100;
  const world = await openBenchWorld({ cloneRunner: false });
  const server = await serveRuntime(world.runtime, { port: 0 });
  try {
    const source = await world.seedSource(itemCount);
    const key = await issueKey(world);
    const body = JSON.stringify({
      query: PREVIEW,
      variables: { input: { sourceOrganizationId: source.id, name: 'Preview of the big one' } },
    });
    const once = async (): Promise<{ ms: number; bytes: number }> => {
      const started = performance.now();
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body,
      });
      const text = await response.text();
      const ms = performance.now() - started;
      const result = JSON.parse(text) as { errors?: unknown; data?: unknown };
      if (response.status !== 200 || result.errors || !result.data) {
        throw new Error(`preview failed (${response.status}): ${text.slice(0, 500)}`);
      }
      return { ms, bytes: text.length };
    };
    for (let n = 0; n < warmUp; n++) await once();
    const samples: number[] = [];
    let bytes = 0;
    for (let n = 0; n < requests; n++) {
      const sample = await once();
      samples.push(sample.ms);
      bytes = sample.bytes;
    }
    const round = (value: number) => Math.round(value * 10) / 10;
    return {
      preview_10k_p50_ms: round(median(samples)),
      preview_10k_p99_ms: round(percentile(samples, 0.99)),
      preview_requests: requests,
      preview_response_bytes: bytes,
      source_items: itemCount,
    };
  } finally {
    await server.stop();
    await world.close();
  }
}
