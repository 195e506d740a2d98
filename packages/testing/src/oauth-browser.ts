/**
 * A browser, as far as an OAuth log-in needs one: follows redirects by hand, keeps cookies per
 * path, reads the forms of the provider's log-in and consent pages and posts them. The OAuth
 * protocol itself (the authorization URL, PKCE, the code exchange) is the client library's
 * (`openid-client`) in the tests; this only plays the user in between.
 */
export interface BrowserLogInOptions {
  /** the authorization URL the client library built */
  authorizationUrl: URL | string;
  email: string;
  password: string;
  /** the redirect URI: the browser stops there and returns the URL (code, state, iss) */
  redirectUri: string;
  /** allow (default) or deny on the consent page */
  consent?: 'allow' | 'deny';
  /** extra hook: called with each page's HTML */
  onPage?: (url: string, html: string, status: number) => void;
}

interface Cookie {
  name: string;
  value: string;
  path: string;
}

export class TestBrowser {
  private cookies: Cookie[] = [];
  readonly pages: Array<{ url: string; status: number; html: string }> = [];

  private store(url: URL, headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const pathAttr = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('path='));
      const path = pathAttr ? pathAttr.slice(5) : url.pathname.replace(/\/[^/]*$/, '') || '/';
      const expired = attrs.some((a) => /^max-age=0$/i.test(a.trim()) || /^expires=thu, 01 jan 1970/i.test(a.trim()));
      this.cookies = this.cookies.filter((c) => !(c.name === name && c.path === path));
      if (!expired && value !== '') this.cookies.push({ name, value, path });
    }
  }

  cookieHeader(url: URL): string {
    return this.cookies
      .filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  /** one request without following redirects; cookies sent and kept */
  async request(url: string | URL, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<{ status: number; location?: string; html: string; url: URL }> {
    const u = new URL(url);
    const headers: Record<string, string> = { ...init.headers };
    const cookie = this.cookieHeader(u);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin ??= u.origin;
    }
    const res = await fetch(u, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.store(u, res.headers);
    const html = await res.text();
    const location = res.headers.get('location') ?? undefined;
    this.pages.push({ url: u.href, status: res.status, html });
    return { status: res.status, html, url: u, ...(location ? { location: new URL(location, u).href } : {}) };
  }

  /** GETs `url` and follows redirects until a page answers, or the redirect URI is reached */
  async follow(url: string, stopAt: string): Promise<{ status: number; html: string; url: URL } | { redirectedTo: string }> {
    let next = url;
    for (let hops = 0; hops < 10; hops++) {
      if (next.startsWith(stopAt)) return { redirectedTo: next };
      const r = await this.request(next);
      if (r.status >= 300 && r.status < 400 && r.location) {
        next = r.location;
        continue;
      }
      return r;
    }
    throw new Error('too many redirects');
  }

  /** the fields of the first form of a page whose action matches */
  static form(html: string, actionEndsWith: string): { action: string; fields: Record<string, string> } {
    const forms = [...html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
    const form = forms.find((f) => decode(f[1]!).endsWith(actionEndsWith));
    if (!form) throw new Error(`no form posting to …${actionEndsWith} on the page:\n${html.slice(0, 2000)}`);
    const fields: Record<string, string> = {};
    for (const [tag] of form[2]!.matchAll(/<input[^>]*>/g)) {
      const name = /\bname="([^"]+)"/.exec(tag)?.[1];
      if (name) fields[name] = decode(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '');
    }
    return { action: decode(form[1]!), fields };
  }
}

function decode(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Logs a user in through the provider's pages: authorization URL → log-in page → consent page →
 * back to the redirect URI. Returns the URL the provider redirected to (for the client library's
 * code exchange). Throws with the page when a step does not go as a user would expect.
 */
export async function browserLogIn(opts: BrowserLogInOptions, browser: TestBrowser = new TestBrowser()): Promise<URL> {
  let page = await browser.follow(String(opts.authorizationUrl), opts.redirectUri);
  for (let step = 0; step < 4; step++) {
    if ('redirectedTo' in page) return new URL(page.redirectedTo);
    opts.onPage?.(page.url.href, page.html, page.status);
    let posted;
    if (page.html.includes('action="') && /\/login"/.test(page.html)) {
      const { action, fields } = TestBrowser.form(page.html, '/login');
      posted = await browser.request(new URL(action, page.url), { form: { ...fields, email: opts.email, password: opts.password } });
    } else if (/\/confirm"/.test(page.html)) {
      const which = opts.consent === 'deny' ? '/abort' : '/confirm';
      const { action, fields } = TestBrowser.form(page.html, which);
      posted = await browser.request(new URL(action, page.url), { form: fields });
    } else {
      throw new Error(`unexpected page ${page.url.href} (${page.status}):\n${page.html.slice(0, 2000)}`);
    }
    if (!(posted.status >= 300 && posted.status < 400 && posted.location)) {
      if (posted.status === 401 || posted.status === 403 || posted.status === 400) throw new Error(`log-in refused (${posted.status}):\n${posted.html.slice(0, 2000)}`);
      page = posted;
      continue;
    }
    page = await browser.follow(posted.location, opts.redirectUri);
  }
  throw new Error('the log-in did not reach the redirect URI');
}
