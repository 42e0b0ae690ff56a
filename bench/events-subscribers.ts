// One client process of bench/events.bench.ts: holds many SSE connections to one run's event
// stream, so the server under test does not share its event loop with the clients. Forked with
// IPC: `fork('bench/events-subscribers.ts', [url, token, count])`. Sends {connected} once every
// stream got its `retry:` line, then {result} when every stream ended (after `done`).
//
// Parsing is deliberately minimal (a frame split and two regular expressions, no JSON.parse): the
// clients share the machine's cores with the server, and their cost is not what we measure.
import http from 'node:http';

export interface SubscriberReport {
  type: 'result';
  /** Receive time minus the handler's send time, one per (subscriber, paced event), ms. */
  latencies: number[];
  /** Earliest send time of the first burst event and latest receive time of the last one (epoch ms). */
  burstFirstSent: number;
  burstLastReceived: number;
  /** Ticks received per stream, summed: lets the bench check that no event went missing. */
  ticks: number;
  /** Ticks a stream received a second time (same id), summed: must be 0. */
  duplicates: number;
  /** Streams that ended without the run's `done` event (or failed): must be 0. */
  failures: number;
}

const now = () => performance.timeOrigin + performance.now();

// Key order is the database's (jsonb sorts keys), so each field is found on its own.
const PHASE = /"phase":"(\w+)"/;
const INDEX = /"i":(\d+)/;
const SENT_AT = /"sentAt":([\d.]+)/;

function main(): void {
  const [url, token, countArg, burstArg] = process.argv.slice(2);
  const count = Number(countArg);
  const lastBurstIndex = Number(burstArg) - 1;
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const report: SubscriberReport = { type: 'result', latencies: [], burstFirstSent: Infinity, burstLastReceived: 0, ticks: 0, duplicates: 0, failures: 0 };
  let connected = 0;
  let ended = 0;

  const ID = /^id: (\d+)$/m;
  /** Returns true for the run's final event. `seen` holds the ids this stream received. */
  const onFrame = (frame: string, receivedAt: number, seen: Set<string>): boolean => {
    if (/^event: done$/m.test(frame)) return true;
    if (!frame.includes('event: bench.tick')) return false;
    const id = ID.exec(frame)?.[1];
    if (id !== undefined) {
      if (seen.has(id)) {
        report.duplicates += 1;
        return false;
      }
      seen.add(id);
    }
    const phase = PHASE.exec(frame)?.[1];
    const index = INDEX.exec(frame)?.[1];
    const sentAt = Number(SENT_AT.exec(frame)?.[1]);
    if (!phase || !index || !Number.isFinite(sentAt)) return false;
    report.ticks += 1;
    if (phase === 'paced') report.latencies.push(receivedAt - sentAt);
    else if (phase === 'burst') {
      if (index === '0') report.burstFirstSent = Math.min(report.burstFirstSent, sentAt);
      if (Number(index) === lastBurstIndex) report.burstLastReceived = Math.max(report.burstLastReceived, receivedAt);
    }
    return false;
  };

  const finishOne = () => {
    ended += 1;
    if (ended === count) {
      process.send!(report, () => process.exit(0));
    }
  };

  for (let i = 0; i < count; i++) {
    const request = http.get(url, { agent, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (response) => {
      if (response.statusCode !== 200) {
        report.failures += 1;
        response.resume();
        finishOne();
        return;
      }
      response.setEncoding('utf8');
      let buffer = '';
      let counted = false;
      let sawDone = false;
      const seen = new Set<string>();
      let finished = false;
      const finishThis = (failed: boolean) => {
        if (finished) return;
        finished = true;
        if (failed) report.failures += 1;
        finishOne();
      };
      response.on('data', (chunk: string) => {
        const receivedAt = now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!counted && frame.startsWith('retry:')) {
            counted = true;
            connected += 1;
            if (connected === count) process.send!({ type: 'connected' });
          }
          if (onFrame(frame, receivedAt, seen)) sawDone = true;
        }
      });
      // A stream that ended before the run's end lost events, whatever it received before.
      response.on('end', () => finishThis(!sawDone));
      response.on('error', () => finishThis(true));
    });
    request.on('error', () => {
      report.failures += 1;
      finishOne();
    });
  }
}

main();
