// A closed-loop HTTP load generator, run as its own process so it does not share the server's
// event loop: `node bench/load-client.ts <url> <token|-> <concurrency> <durationMs>`.
// Prints one JSON line: requests, errors (and their statuses), requests/s, p50 and p99 latency in ms.
import http from 'node:http';

const [url, token, concurrencyArg, durationArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const durationMs = Number(durationArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const headers: Record<string, string> = token && token !== '-' ? { authorization: `Bearer ${token}` } : {};

function get(): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
  });
}

const latencies: number[] = [];
let errors = 0;
/** How many answers of each status other than 200 came back: what a failed bench reports. */
const failedStatuses: Record<string, number> = {};
const deadline = performance.now() + durationMs;

async function worker(): Promise<void> {
  while (performance.now() < deadline) {
    const started = performance.now();
    const status = await get();
    if (status !== 200) {
      errors += 1;
      failedStatuses[status] = (failedStatuses[status] ?? 0) + 1;
    }
    latencies.push(performance.now() - started);
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
console.log(JSON.stringify({ requests: latencies.length, errors, failedStatuses, rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) }));
agent.destroy();
