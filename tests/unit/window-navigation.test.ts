// The desktop window's navigation policy (electron/host/navigation.ts), which electron/main.ts applies to every
// web contents: navigation, redirects, new windows and the IPC sender check.
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, externalUrlAllowed, isAppUrl } from '../../electron/host/navigation.ts';

describe('the window shows only the app', () => {
  it('accepts the app’s own pages', () => {
    for (const url of [`${APP_ORIGIN}/`, `${APP_ORIGIN}/index.html`, `${APP_ORIGIN}/#/allegation/IMS-2026-000001`, 'APP://IMS/']) expect(isAppUrl(url), url).toBe(true);
  });

  it('refuses look-alike origins that a prefix check would let through', () => {
    for (const url of ['app://ims.x/', 'app://ims.evil.example/', 'app://ims@evil.example/', 'app://ims:8080/', 'app://imsx/', 'app://user:pw@ims/']) expect(isAppUrl(url), url).toBe(false);
  });

  it('refuses every other scheme and anything that is not a URL', () => {
    for (const url of ['https://ims/', 'file:///etc/passwd', 'http://127.0.0.1:5173/', 'javascript:alert(1)', 'data:text/html,hi', '', 'app:ims', 'not a url']) expect(isAppUrl(url), url).toBe(false);
  });
});

describe('links handed to the user’s browser', () => {
  it('opens published guidance over https', () => {
    expect(externalUrlAllowed('https://www.gov.uk/guidance/immigration-enforcement')).toBe(true);
    expect(externalUrlAllowed('https://assets.publishing.service.gov.uk/media/report.pdf')).toBe(true);
  });

  it('refuses any other site, scheme, port or credentials', () => {
    for (const url of [
      'https://evil.example/',
      'https://www.gov.uk.evil.example/',
      'https://evil.example/?u=https://www.gov.uk',
      'http://www.gov.uk/',
      'https://www.gov.uk:8443/',
      'https://user@www.gov.uk/',
      'file:///C:/Windows/System32/calc.exe',
      'smb://host/share',
      'ms-msdt:/id',
      `${APP_ORIGIN}/`,
      'not a url',
    ])
      expect(externalUrlAllowed(url), url).toBe(false);
  });
});
