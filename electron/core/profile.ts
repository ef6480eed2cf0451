import { homedir } from 'node:os';
import { join } from 'node:path';

/** The profile folder: IMS_PROFILE, else the platform's per-user application data folder (as Electron's userData). */
export function defaultProfileDir(): string {
  if (process.env.IMS_PROFILE) return process.env.IMS_PROFILE;
  const home = homedir();
  switch (process.platform) {
    case 'win32':
      return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'ims-desk');
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'ims-desk');
    default:
      return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'ims-desk');
  }
}
