// Where the desktop window may go. The window shows only the app (app://ims); a link to anywhere else opens in the
// user's browser only when it is on the short allow-list below, and otherwise goes nowhere. Origins are compared
// whole, parsed, never by prefix: "app://ims.example" and "app://ims@example" both start with "app://ims".

export const APP_ORIGIN = 'app://ims';

/** Sites the desk may hand to the user's browser: published guidance only. Nothing in IMS Desk links elsewhere. */
export const EXTERNAL_HOSTS: readonly string[] = ['www.gov.uk', 'assets.publishing.service.gov.uk'];

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for a page of the app itself: the app: scheme, the host "ims", no port and no credentials. */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === 'app:' && u.hostname.toLowerCase() === 'ims' && u.port === '' && u.username === '' && u.password === '';
}

/** True for a link the user's browser may open: https on the default port, no credentials, an allowed host. */
export function externalUrlAllowed(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === 'https:' && u.port === '' && u.username === '' && u.password === '' && EXTERNAL_HOSTS.includes(u.hostname);
}
