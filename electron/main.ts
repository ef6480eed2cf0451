// The Electron host, kept thin: a window, the app:// protocol serving the built renderer with a strict CSP,
// the IPC binding to the core (which runs in a utilityProcess), and OS integration. Every capability lives in
// the core, which the tests exercise without Electron.
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, safeStorage, session, shell, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from './host/csp.ts';
import { APP_ORIGIN, externalUrlAllowed, isAppUrl } from './host/navigation.ts';
import { isProcedureName } from '../shared/api.ts';

const RENDERER_DIR = join(__dirname, '..', 'renderer');

app.setName('ims-desk');
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let core: UtilityProcess | null = null;
let nextId = 1;
const pending = new Map<number, (result: unknown) => void>();

function startCore(): void {
  core = utilityProcess.fork(join(__dirname, 'core-process.cjs'), ['--profile', app.getPath('userData')], { serviceName: 'IMS Desk core' });
  core.on('message', (message: { id?: number; result?: unknown; event?: unknown; fatal?: string; ready?: boolean; keychain?: { id: number; op: 'encrypt' | 'decrypt'; data: string }; vault?: string; error?: string }) => {
    if (message.fatal) {
      console.error(`[ims] the core could not start: ${message.fatal}`);
      dialog.showErrorBox('IMS Desk could not open its case store', message.fatal);
      return;
    }
    // The vault's master key is wrapped by the OS keychain; the core asks, main answers.
    if (message.ready) {
      core?.postMessage({ unlockWithKeychain: true });
      return;
    }
    if (message.keychain) {
      const { id, op, data } = message.keychain;
      try {
        if (!safeStorage.isEncryptionAvailable()) throw new Error("the operating system's keychain is not available");
        const out = op === 'encrypt' ? safeStorage.encryptString(Buffer.from(data, 'base64').toString('base64')) : Buffer.from(safeStorage.decryptString(Buffer.from(data, 'base64')), 'base64');
        core?.postMessage({ keychainReply: { id, data: out.toString('base64') } });
      } catch (error) {
        core?.postMessage({ keychainReply: { id, error: (error as Error).message } });
      }
      return;
    }
    if (message.vault === 'locked') {
      dialog.showErrorBox('The vault is locked', `Source details cannot be opened: ${message.error ?? 'unknown reason'}`);
      return;
    }
    if (message.event) {
      for (const w of BrowserWindow.getAllWindows()) w.webContents.send('ims:event', message.event);
      return;
    }
    if (typeof message.id === 'number') {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    }
  });
  core.on('exit', (code) => {
    for (const [id, resolve] of pending) {
      resolve({ ok: false, error: { code: 'unavailable', message: 'The case store stopped; restarting it. Try again.' } });
      pending.delete(id);
    }
    if (code !== 0 && !app.isReady()) return;
    if (code !== 0) startCore();
  });
}

function callCore(name: string, input: unknown, sessionToken: string | null): Promise<unknown> {
  if (!core) return Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'The case store is starting' } });
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    core?.postMessage({ id, name, input, session: sessionToken });
  });
}

function serveRenderer(): void {
  protocol.handle('app', (request) => {
    const url = new URL(request.url);
    const root = normalize(RENDERER_DIR);
    let file = normalize(join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root + sep)) return new Response('Forbidden', { status: 403 });
    if (url.pathname === '/' || !/\.[a-z0-9]+$/i.test(url.pathname)) file = join(root, 'index.html');
    return net.fetch(pathToFileURL(file).toString()).then((res) => {
      const headers = new Headers(res.headers);
      headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      headers.set('X-Content-Type-Options', 'nosniff');
      return new Response(res.body, { status: res.status, headers });
    });
  });
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    title: 'IMS Desk',
    show: false,
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/`);
}

/** Every web contents (the window, and anything it might create) shows only the app: navigation and redirects
 * elsewhere are stopped, new windows are refused, and an allowed link opens in the user's browser instead. */
function confine(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (externalUrlAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const stayInApp = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

// One desk process per profile: a second launch (a double click, a file association) focuses the open window
// instead of opening the same case store twice.
const primaryInstance = app.requestSingleInstanceLock();
if (!primaryInstance) app.quit();
app.on('second-instance', () => {
  const win = BrowserWindow.getAllWindows()[0];
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.focus();
});
app.on('web-contents-created', (_event, contents) => confine(contents));

app.whenReady().then(() => {
  if (!primaryInstance) return;
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  serveRenderer();
  startCore();
  ipcMain.handle('ims:call', (event, name: unknown, input: unknown, sessionToken: unknown) => {
    // Only our own page may call the core.
    if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) {
      return { ok: false, error: { code: 'forbidden', message: 'Not allowed from this page' } };
    }
    if (typeof name !== 'string' || !isProcedureName(name)) return { ok: false, error: { code: 'not_found', message: 'Unknown procedure' } };
    return callCore(name, input, typeof sessionToken === 'string' ? sessionToken : null);
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { label: 'View', submenu: [{ role: 'reload' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
      { role: 'windowMenu' },
    ]),
  );
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}).catch((error: unknown) => {
  console.error('[ims] could not start', error);
  app.exit(1);
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('before-quit', () => {
  core?.kill();
});
