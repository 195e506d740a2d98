import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { BodyTooLargeError, readRawBody, sendJson, type Logger, type Result } from '@commerce/platform';
import type { CustomerRecord } from '../model/customer.model.ts';
import { INTERACTION_PATH } from './provider.ts';
import { renderConsentPage, renderLoginPage, renderMessagePage as renderError } from './views.ts';

/**
 * The log-in and consent screens of the OAuth provider: `GET /oauth/interaction/<uid>` shows the
 * one the library asks for; the forms post to `…/<uid>/login`, `…/<uid>/confirm`, `…/<uid>/abort`.
 *
 * CSRF: a double-submit token. The page sets a random token in an HttpOnly, SameSite=Strict
 * cookie scoped to the interaction's path and puts the same token in the form; a post is accepted
 * only when both are present and equal (and, when the browser sends `Origin`, from the provider's
 * own origin). A cross-site page can neither read the cookie nor make the browser send it.
 * The passwords are checked by the same throttled check as GraphQL `logIn` (per account and per
 * client IP, in Redis).
 */
export interface InteractionDeps {
  provider: () => Provider;
  /** the provider's origin, for the Origin check */
  origin: string;
  checkCredentials(email: string, password: string, clientIp: string | undefined): Promise<Result<CustomerRecord>>;
  /** the client address (the socket's, or the trusted proxy's X-Forwarded-For) */
  clientIp(req: IncomingMessage): string | undefined;
  logger: Logger;
  secureCookies: boolean;
}

const CSRF_COOKIE = 'oauth_csrf';
const MAX_FORM_BYTES = 8 * 1024;
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function sendPage(res: ServerResponse, status: number, html: string, extra: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { ...PAGE_HEADERS, 'content-length': Buffer.byteLength(html), ...extra });
  res.end(html);
}

export function createInteractionHandler(deps: InteractionDeps) {
  const csrfCookie = (uid: string, token: string) =>
    `${CSRF_COOKIE}=${token}; Path=${INTERACTION_PATH}/${uid}; HttpOnly; SameSite=Strict; Max-Age=3600${deps.secureCookies ? '; Secure' : ''}`;

  async function clientName(provider: Provider, clientId: unknown): Promise<string> {
    const client = typeof clientId === 'string' ? await provider.Client.find(clientId) : undefined;
    return (client?.clientName as string | undefined) ?? (typeof clientId === 'string' ? clientId : 'an application');
  }

  async function show(req: IncomingMessage, res: ServerResponse, uid: string, error?: string, email?: string): Promise<void> {
    const provider = deps.provider();
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return sendPage(res, 400, renderError('This sign-in link does not match your session; start again.'));
    const token = randomBytes(24).toString('base64url');
    const name = await clientName(provider, details.params.client_id);
    const base = `${INTERACTION_PATH}/${uid}`;
    if (details.prompt.name === 'login') {
      return sendPage(res, error ? 401 : 200, renderLoginPage({ action: `${base}/login`, csrfToken: token, clientName: name, email, error }), { 'set-cookie': csrfCookie(uid, token) });
    }
    const scopes = String(details.params.scope ?? '').split(' ').filter(Boolean);
    return sendPage(res, 200, renderConsentPage({ action: `${base}/confirm`, abortAction: `${base}/abort`, csrfToken: token, clientName: name, scopes }), { 'set-cookie': csrfCookie(uid, token) });
  }

  async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
    return new URLSearchParams((await readRawBody(req, MAX_FORM_BYTES)).toString('utf8'));
  }

  function csrfOk(req: IncomingMessage, form: URLSearchParams): boolean {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== deps.origin) return false;
    return sameToken(cookieOf(req, CSRF_COOKIE), form.get('csrf') ?? undefined);
  }

  async function login(req: IncomingMessage, res: ServerResponse, uid: string, form: URLSearchParams): Promise<void> {
    const provider = deps.provider();
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid || details.prompt.name !== 'login') return sendPage(res, 400, renderError('Nothing to log in to here; start again.'));
    const email = form.get('email') ?? '';
    const checked = await deps.checkCredentials(email, form.get('password') ?? '', deps.clientIp(req));
    if (!checked.ok) return show(req, res, uid, checked.errors[0]?.message ?? 'Email or password is incorrect', email);
    await provider.interactionFinished(req, res, { login: { accountId: checked.value._id } }, { mergeWithLastSubmission: false });
  }

  async function confirm(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const provider = deps.provider();
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid || details.prompt.name !== 'consent' || !details.session?.accountId) return sendPage(res, 400, renderError('Nothing to allow here; start again.'));
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: details.session.accountId, clientId: String(details.params.client_id) });
    if (!grant) return sendPage(res, 400, renderError('This sign-in expired; start again.'));
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: details.grantId ? {} : { grantId } }, { mergeWithLastSubmission: true });
  }

  async function abort(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await deps.provider().interactionFinished(req, res, { error: 'access_denied', error_description: 'The user denied access' }, { mergeWithLastSubmission: false });
  }

  /** handles `/oauth/interaction/…`; returns false for any other path */
  return async function handleInteraction(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    const m = /^\/oauth\/interaction\/([\w-]{1,64})(?:\/(login|confirm|abort))?$/.exec(pathname);
    if (!m) return false;
    const [, uid, action] = m as unknown as [string, string, string | undefined];
    try {
      if (!action) {
        if (req.method !== 'GET') return sendJson(res, 405, { error: 'method not allowed' }), true;
        await show(req, res, uid);
        return true;
      }
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' }), true;
      let form: URLSearchParams;
      try {
        form = await readForm(req);
      } catch (err) {
        if (err instanceof BodyTooLargeError) return sendPage(res, 413, renderError('The form is too large.')), true;
        throw err;
      }
      if (!csrfOk(req, form)) {
        deps.logger.warn({ action }, 'oauth: form post refused (CSRF token missing or wrong)');
        sendPage(res, 403, renderError('This form expired or was not sent from this site; go back and try again.'));
        return true;
      }
      if (action === 'login') await login(req, res, uid, form);
      else if (action === 'confirm') await confirm(req, res, uid);
      else await abort(req, res);
    } catch (err) {
      const name = (err as { name?: string }).name;
      // an unknown or expired interaction (no cookie, a stale link): the library's SessionNotFound
      if (name === 'SessionNotFound' || (err as { error?: string }).error === 'invalid_request') {
        if (!res.headersSent) sendPage(res, 400, renderError('This sign-in expired or was opened in another browser; start again from the app.'));
        return true;
      }
      throw err;
    }
    return true;
  };
}

