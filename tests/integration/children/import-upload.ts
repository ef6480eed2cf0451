// A desk importing a file sent from the renderer: uploads it in pieces, then imports it, printing progress as
// JSON lines. The crash test kills this process with SIGKILL half-way through.
import { readFileSync } from 'node:fs';
import { addUser, openCore } from '../../helpers.ts';
import { findUserById } from '../../../electron/core/users.ts';

const [profile, file] = process.argv.slice(2) as [string, string];
const core = await openCore(profile);
const made = await addUser(core, 'imp.admin', 'admin', null);
const user = findUserById(core.store, made.id);
if (!user) throw new Error('no user');
const text = readFileSync(file, 'utf8');
const { jobId, chunkBytes } = core.importJobs.begin(user, 'allegations.jsonl', Buffer.byteLength(text));
for (let i = 0, at = 0; at < text.length; i++, at += chunkBytes) await core.importJobs.chunk(user, jobId, i, text.slice(at, at + chunkBytes));
console.log(JSON.stringify({ uploaded: true }));
core.on((e) => {
  if (e.type === 'import.progress') console.log(JSON.stringify({ imported: e.imported }));
});
await core.importJobs.finish(user, jobId);
console.log(JSON.stringify({ finished: true }));
core.close();
