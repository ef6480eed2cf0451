// The browser host's launch key. The link it prints carries the key in the URL's fragment (never sent to any
// server); the page keeps it in localStorage, which belongs to this origin — this port of 127.0.0.1 — and sends it
// as a header with every call. Read once, before the router looks at the address, then dropped from it.
const LAUNCH_KEY = 'ims.launch';

function takeLaunchKey(): string | null {
  if (window.ims) return null;
  const m = /^#launch=([A-Za-z0-9_-]{16,200})$/.exec(window.location.hash);
  if (m) {
    localStorage.setItem(LAUNCH_KEY, m[1] as string);
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/`);
  }
  return localStorage.getItem(LAUNCH_KEY);
}

export const launchKey: string | null = takeLaunchKey();
