/**
 * Progress on stderr (stdout carries the report): a redrawn bar on a terminal, plain lines in CI
 * (a log file must not fill with carriage returns), each new message once.
 */
export interface Progress {
  line(message: string): void;
  update(fraction: number, message: string): void;
  done(): void;
}

const BAR_WIDTH = 30;

export function createProgress(stream: NodeJS.WriteStream): Progress {
  if (stream.isTTY) return new BarProgress(stream);
  let last = '';
  return {
    line: (message) => stream.write(`nyx: ${message}\n`),
    update(fraction, message) {
      const text = `${Math.round(fraction * 100)}% ${message}`.trim();
      if (message && message !== last) stream.write(`nyx: ${text}\n`);
      last = message;
    },
    done() {},
  };
}

class BarProgress implements Progress {
  private drawn = false;
  private readonly stream: NodeJS.WriteStream;
  constructor(stream: NodeJS.WriteStream) {
    this.stream = stream;
  }

  line(message: string): void {
    this.done();
    this.stream.write(`nyx: ${message}\n`);
  }

  update(fraction: number, message: string): void {
    const filled = Math.round(Math.min(1, Math.max(0, fraction)) * BAR_WIDTH);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${message}`;
    const width = this.stream.columns ?? 80;
    this.stream.write(`\r\x1b[K${bar.slice(0, width - 1)}`);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
