// What a browser does during a single sign-on, over plain HTTP: follow redirects, keep cookies per
// origin, and submit the identity provider's login and consent forms. It stops at the first
// redirect whose target matches `stopAt` (the editor's redirect, or our own callback when a test
// wants to tamper with it) and answers that URL.

export interface BrowserSignIn {
  /** The account's login name at the fake IdP. */
  login: string;
  /** Stop following at the first redirect to a URL starting with this. */
  stopAt: string;
}

export class TestBrowser {
  private readonly cookies = new Map<string, Map<string, string>>();

  async signIn(startUrl: string, options: BrowserSignIn): Promise<URL> {
    let request: { url: string; method: 'GET' | 'POST'; form?: URLSearchParams } = { url: startUrl, method: 'GET' };
    for (let step = 0; step < 25; step++) {
      if (request.url.startsWith(options.stopAt)) return new URL(request.url);
      const response = await this.fetch(request.url, request.method, request.form);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        request = { url: new URL(location, request.url).href, method: 'GET' };
        continue;
      }
      const html = await response.text();
      if (response.status !== 200) throw new Error(`The browser got ${response.status} at ${request.url}: ${html.slice(0, 500)}`);
      request = this.submitForm(html, request.url, options.login);
    }
    throw new Error('The sign-in did not end within 25 steps');
  }

  /** A GET as the browser would send it (with its cookies), without following redirects. */
  async get(url: string): Promise<Response> {
    return this.fetch(url, 'GET');
  }

  private submitForm(html: string, pageUrl: string, login: string): { url: string; method: 'POST'; form: URLSearchParams } {
    const form = /<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
    if (!form) throw new Error(`No form on ${pageUrl}: ${html.slice(0, 500)}`);
    const fields = new URLSearchParams();
    for (const input of form[2].matchAll(/<input([^>]*)>/gi)) {
      const name = /name="([^"]+)"/.exec(input[1])?.[1];
      if (!name) continue;
      const value = /value="([^"]*)"/.exec(input[1])?.[1];
      if (name === 'login') fields.set(name, login);
      else if (name === 'password') fields.set(name, 'any password');
      else fields.set(name, value ?? '');
    }
    return { url: new URL(form[1].replace(/&amp;/g, '&'), pageUrl).href, method: 'POST', form: fields };
  }

  private async fetch(url: string, method: 'GET' | 'POST', form?: URLSearchParams): Promise<Response> {
    const target = new URL(url);
    const jar = this.cookies.get(target.origin) ?? new Map<string, string>();
    const headers: Record<string, string> = {};
    if (jar.size) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(target, { method, headers, body: form?.toString(), redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(cookie) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.cookies.set(target.origin, jar);
    return response;
  }
}
