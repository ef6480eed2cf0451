// The bridge between the sandboxed renderer and the core: window.ims, built from the API contract and nothing
// else. No Node, no ipcRenderer, no file system reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { PROCEDURE_NAMES } from '../shared/api.ts';

const known = new Set<string>(PROCEDURE_NAMES);

contextBridge.exposeInMainWorld('ims', {
  host: 'electron',
  procedures: [...known],
  call(name: string, input: unknown, session: string | null): Promise<unknown> {
    if (!known.has(name)) return Promise.resolve({ ok: false, error: { code: 'not_found', message: `There is no procedure called ${name}` } });
    return ipcRenderer.invoke('ims:call', name, input, session);
  },
  onEvent(listener: (event: unknown) => void): () => void {
    const wrapped = (_e: IpcRendererEvent, event: unknown) => listener(event);
    ipcRenderer.on('ims:event', wrapped);
    return () => ipcRenderer.off('ims:event', wrapped);
  },
});
