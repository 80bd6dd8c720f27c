/**
 * `npm run bench:memory`: the peak resident memory of a worker and of the api during the pipeline benchmark
 * (N approved posts due at one instant; see bench/pipeline.ts for the scenario and its BENCH_* options), per
 * queue backend, without the bare BullMQ ceiling (it runs in this process and is not CivicPost's memory).
 *
 * Peak = VmHWM of /proc/<pid>/status at the end of publishing (the high-water mark since the process
 * started); by phase = VmRSS sampled every 250 ms while the scheduler queues the targets and while the
 * worker publishes them. BENCH_NODE_OPTIONS passes Node options to every CivicPost process, to measure
 * the effect of a heap limit (`--max-old-space-size=<MB>`) on the peak and on the rate.
 */
import { backendsFromEnv, env, withFake } from './harness.js';
import { PLATFORM_MS, POSTS, runPipeline, type Result } from './pipeline-run.js';

const backends = backendsFromEnv('memory', ['postgres+redis', 'postgres']);
const results: Result[] = await withFake(
  PLATFORM_MS,
  backends.map((backend) => (fake) => runPipeline(backend, fake, { ceiling: false })),
);
const nodeOptions = env.BENCH_NODE_OPTIONS ?? '';
const rows = results.map((r) => ({
  backend: r.backend,
  workers: r.workers,
  posts: r.posts,
  published: r.published,
  node_options: nodeOptions || '(none)',
  worker_peak_rss_mb: r.worker_peak_rss_mb,
  worker_rss_max_queueing_mb: r.worker_rss_max_queueing_mb,
  worker_rss_max_publishing_mb: r.worker_rss_max_publishing_mb,
  api_peak_rss_mb: r.api_peak_rss_mb,
  pipeline_posts_per_s: r.pipeline_posts_per_s,
}));
console.log(
  `bench:memory: peak RSS (VmHWM) of the worker and the api while ${POSTS} posts due at one instant are queued and published; VmRSS sampled every 250 ms by phase`,
);
console.table(rows);
console.log(JSON.stringify({ bench: 'memory', posts: POSTS, node_options: nodeOptions || null, results: rows }));
process.exit(results.every((r) => r.not_published === 0 && r.sent_twice === 0) ? 0 : 1);
