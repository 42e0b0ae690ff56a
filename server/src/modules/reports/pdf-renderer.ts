// One warm Chromium per server: launched on the first PDF, reused for every later one (a launch
// costs seconds, a page tens of milliseconds), relaunched if it died, closed on shutdown.
// md-to-pdf launches a browser per call through its public API and loads the page from a local
// static server, so it can neither reuse a browser nor run with the network blocked; this renders
// the same way it does (HTML + CSS -> page.pdf) with puppeteer-core directly.
import puppeteer, { type Browser } from 'puppeteer-core';
import type { Logger } from '#server/logger.ts';
import { PdfUnavailableError, resolveChromium } from './chromium.ts';

export interface PdfPage {
  /** A complete HTML document with everything inline: the page may load nothing. */
  html: string;
  /** Chromium print header/footer templates (their own tiny HTML documents, no scripts). */
  headerTemplate: string;
  footerTemplate: string;
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export class PdfRenderer {
  readonly #configuredPath: string | null;
  readonly #log: Logger;
  #browser: Promise<Browser> | null = null;
  #closed = false;
  /** How many times a browser was launched (the bench and tests read it). */
  launches = 0;

  constructor(configuredPath: string | null, log: Logger) {
    this.#configuredPath = configuredPath;
    this.#log = log.child({ component: 'pdf' });
  }

  async render(page: PdfPage): Promise<Buffer> {
    const browser = await this.#warmBrowser();
    const tab = await browser.newPage();
    try {
      // Defence in depth: the HTML is sanitised already; nothing in it may run or fetch.
      await tab.setJavaScriptEnabled(false);
      await tab.setRequestInterception(true);
      tab.on('request', (request) => {
        if (request.isInterceptResolutionHandled()) return;
        const url = request.url();
        if (url.startsWith('data:') || url === 'about:blank') void request.continue();
        else void request.abort('blockedbyclient');
      });
      await tab.setContent(page.html, { waitUntil: 'load' });
      const pdf = await tab.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: page.headerTemplate,
        footerTemplate: page.footerTemplate,
        margin: { top: '22mm', bottom: '18mm', left: '16mm', right: '16mm' },
      });
      return Buffer.from(pdf);
    } finally {
      await tab.close().catch(() => undefined);
    }
  }

  #warmBrowser(): Promise<Browser> {
    if (this.#closed) return Promise.reject(new PdfUnavailableError('the server is shutting down'));
    if (!this.#browser) {
      // Resolved per launch, so a bad NYX_CHROMIUM_PATH fails the request with its 503, not the start.
      const executablePath = resolveChromium(this.#configuredPath);
      this.launches++;
      const launching = puppeteer.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
      this.#browser = launching;
      launching.then(
        (browser) => {
          this.#log.info({ executablePath }, 'Chromium started for PDF export');
          browser.once('disconnected', () => {
            if (this.#browser === launching) this.#browser = null;
          });
        },
        () => {
          if (this.#browser === launching) this.#browser = null;
        },
      );
      return launching.catch((error: Error) => {
        throw new PdfUnavailableError(`Chromium at ${executablePath} did not start (${error.message.split('\n')[0]})`);
      });
    }
    return this.#browser;
  }

  /** Closes the warm browser; later renders fail with 503. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const browser = this.#browser;
    this.#browser = null;
    if (browser) await (await browser.catch(() => null))?.close().catch(() => undefined);
  }
}
