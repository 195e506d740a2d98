/**
 * The provider's pages: minimal, server-rendered, no script, every value escaped. A strict CSP
 * (no script at all, forms posting to this origin only) goes with each (see interactions.ts).
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.5rem;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1rem}.error{color:#b00020}ul{padding-left:1.2rem}</style>
</head><body>
${body}
</body></html>`;
}

export interface LoginView {
  action: string;
  csrfToken: string;
  clientName: string;
  email?: string | undefined;
  error?: string | undefined;
}

export function renderLoginPage(v: LoginView): string {
  return page(
    'Log in',
    `<h1>Log in</h1>
<p>to continue to <strong>${escapeHtml(v.clientName)}</strong></p>
${v.error ? `<p class="error" role="alert">${escapeHtml(v.error)}</p>` : ''}
<form method="post" action="${escapeHtml(v.action)}" autocomplete="on">
<input type="hidden" name="csrf" value="${escapeHtml(v.csrfToken)}">
<label for="email">Email</label><input id="email" name="email" type="email" required autofocus value="${escapeHtml(v.email ?? '')}">
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Log in</button>
</form>`,
  );
}

export interface ConsentView {
  action: string;
  abortAction: string;
  csrfToken: string;
  clientName: string;
  scopes: string[];
}

const SCOPE_TEXT: Record<string, string> = {
  openid: 'know who you are',
  email: 'see your email address',
  profile: 'see your name',
  offline_access: 'stay signed in',
  commerce: 'shop, see and manage your cart, orders and account',
};

export function renderConsentPage(v: ConsentView): string {
  const items = v.scopes.map((s) => `<li>${escapeHtml(SCOPE_TEXT[s] ?? s)}</li>`).join('');
  return page(
    'Allow access',
    `<h1>Allow access</h1>
<p><strong>${escapeHtml(v.clientName)}</strong> asks to:</p>
<ul>${items}</ul>
<form method="post" action="${escapeHtml(v.action)}"><input type="hidden" name="csrf" value="${escapeHtml(v.csrfToken)}"><button type="submit" name="decision" value="allow">Allow</button></form>
<form method="post" action="${escapeHtml(v.abortAction)}"><input type="hidden" name="csrf" value="${escapeHtml(v.csrfToken)}"><button type="submit" name="decision" value="deny">Deny</button></form>`,
  );
}

export function renderErrorPage(out: Record<string, string>): string {
  return page('Sign-in error', `<h1>Something went wrong</h1><p class="error">${escapeHtml(out.error)}${out.error_description ? `: ${escapeHtml(out.error_description)}` : ''}</p>`);
}

/** A page with one message (a stale link, a refused form). */
export function renderMessagePage(message: string): string {
  return page('Sign-in', `<h1>Sign-in</h1><p class="error">${escapeHtml(message)}</p>`);
}
