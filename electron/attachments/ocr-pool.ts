// The OCR pool: a fixed number of worker processes (default 2, one per core here), a FIFO of page tasks
// with back-pressure, a time limit per task and a memory limit per process. A task that passes a limit, or
// whose process dies, fails alone with a clear error; the process is replaced and the pool carries on.
// Progress is reported per attachment and page; a failed page can be run again with ocrPage().
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Box } from '../../shared/attachments/page-text.ts';
import { AttachmentError, toFailure, type AttachmentFailure } from './errors.ts';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './page-types.ts';
import { checkLangPath, defaultLangPath } from './tesseract-data.ts';
import type { PageOcrResult, ProbeResult, SanitiseResult, WorkerConfig, WorkerReply, WorkerRequest } from './worker-protocol.ts';

export interface OcrPoolOptions {
  /** Worker processes (default 2). */
  concurrency?: number;
  /** Time limit for one page (decode + OCR), in ms (default 120 s). */
  pageTimeoutMs?: number;
  /** Time limit for opening a file and counting its pages, in ms (default 30 s). */
  probeTimeoutMs?: number;
  /** Memory limit of one worker process (resident set), in MB (default 1536). */
  memoryLimitMb?: number;
  /** Page tasks waiting beyond this make ocrAttachment() wait before queueing more (default 64). */
  maxQueued?: number;
  /** Folder holding eng.traineddata.gz (default: the @tesseract.js-data/eng package's best_int model). */
  langPath?: string;
  limits?: Partial<DecodeLimits>;
  /** The Node binary for workers (default process.execPath; Electron passes its own with ELECTRON_RUN_AS_NODE). */
  execPath?: string;
  /** The worker script (default page-worker.ts beside this file; a bundled build passes its own output). */
  workerEntry?: string;
}

export type PageStatus = 'done' | 'failed';

export interface PageResult {
  /** 1-based page number. */
  page: number;
  status: PageStatus;
  source: 'text-layer' | 'ocr' | null;
  text: string;
  confidence: number | null;
  words: PageOcrResult['words'];
  width: number;
  height: number;
  error: AttachmentFailure | null;
  preprocessing: PageOcrResult['preprocessing'];
  cpuMs: number;
  ms: number;
}

export interface AttachmentOcr {
  file: string;
  kind: ProbeResult['kind'] | null;
  pageCount: number;
  /** done: every page read; partial: some pages failed; failed: the file itself could not be read. */
  status: 'done' | 'partial' | 'failed';
  error: AttachmentFailure | null;
  pages: PageResult[];
}

export interface OcrProgress {
  file: string;
  pageCount: number;
  pagesDone: number;
  pagesFailed: number;
  /** The page this event is about (1-based), when it is about one. */
  page: number | null;
  event: 'started' | 'page' | 'finished';
  result?: PageResult;
}

export interface PoolStats {
  workers: number;
  busy: number;
  queued: number;
  /** Worker processes replaced after a crash, a timeout or the memory limit. */
  restarts: number;
  completed: number;
}

/**
 * What a worker reads: a blob of the store (its plaintext, opened in this process and handed over in memory:
 * sealed blobs are never written out plain for a worker), or a plain file on disk given by path (read here too).
 */
export type PageSource = string | { id: string; read(): Buffer };

function sourceId(source: PageSource): string {
  return typeof source === 'string' ? `file:${source}` : source.id;
}

function readSource(source: PageSource): Buffer {
  if (typeof source !== 'string') return source.read();
  try {
    return readFileSync(source);
  } catch (err) {
    throw new AttachmentError('not_found', `The attachment file cannot be read: ${(err as Error).message}`);
  }
}

/** A request without its id and bytes (Omit distributed over the union). */
type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id' | 'bytes'> : never) : never;

type Task = {
  request: RequestBody;
  source: PageSource;
  timeoutMs: number;
  resolve: (v: unknown) => void;
  reject: (e: AttachmentFailure) => void;
};

interface Slot {
  child: ChildProcess;
  ready: boolean;
  task: Task | null;
  taskId: number;
  timer: NodeJS.Timeout | null;
  stderr: string;
  /** Why the pool killed this process, when it did. */
  killedFor: AttachmentFailure | null;
  /** The document this worker holds (sent with its last successful request). */
  doc: string | null;
}

const WORKER_ENTRY = fileURLToPath(new URL('./page-worker.ts', import.meta.url));
const MEMORY_POLL_MS = 200;

/**
 * What a worker's unexpected end means, in a sentence: a worker that ran out of JavaScript heap (V8 aborts
 * with SIGABRT and prints its last GCs and a native stack) is out of memory, like one the pool stops at its
 * limit. The worker's own last words are machine detail (`8: 0x1cf93d1 [/…/node]`): they go to the log for a
 * developer (IMS_DEBUG), never into the message a sifter reads.
 */
export function crashFailure(op: WorkerRequest['op'], stderr: string, code: number | null, signal: NodeJS.Signals | null): AttachmentFailure {
  const what = op === 'probe' ? 'file' : 'page';
  if (process.env.IMS_DEBUG && stderr.trim()) process.stderr.write(`OCR worker ended (${signal ?? `exit code ${code}`}):\n${stderr.trim()}\n`);
  if (/heap out of memory|Reached heap limit|Allocation failed|out of memory|std::bad_alloc/i.test(stderr)) {
    return { code: 'out_of_memory', message: `Reading this ${what} needed more memory than a reader may use (a decompression bomb or an enormous ${what}?), so it was stopped` };
  }
  const how = signal ? `signal ${signal}` : `exit code ${code}`;
  return { code: 'worker_crashed', message: `The worker reading this ${what} stopped unexpectedly (${how}), so the ${what} was not read; it can be read again, and the other ${op === 'probe' ? 'files' : 'pages'} are not affected` };
}

const seconds = (ms: number) => `${ms < 10_000 ? Math.round(ms / 100) / 10 : Math.round(ms / 1000)} s`;

/** Resident memory of a process in MB, where the OS lets us read it cheaply (Linux); null elsewhere. */
function rssMb(pid: number): number | null {
  try {
    const statm = readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ');
    return (Number(statm[1]) * 4096) / 1024 / 1024;
  } catch {
    return null;
  }
}

export class OcrPool {
  private readonly concurrency: number;
  private readonly pageTimeoutMs: number;
  private readonly probeTimeoutMs: number;
  private readonly memoryLimitMb: number;
  private readonly maxQueued: number;
  private readonly config: WorkerConfig;
  private readonly execPath: string;
  private readonly workerEntry: string;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private readonly roomWaiters: Array<() => void> = [];
  private nextId = 1;
  private restarts = 0;
  private completed = 0;
  private closed = false;
  private startupFailure: AttachmentFailure | null = null;
  /** Workers in a row that died before they were ready: a broken install, not a bad page. */
  private startupCrashes = 0;
  private readonly memoryTimer: NodeJS.Timeout;

  constructor(options: OcrPoolOptions = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.pageTimeoutMs = options.pageTimeoutMs ?? 120_000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 30_000;
    this.memoryLimitMb = options.memoryLimitMb ?? 1536;
    this.maxQueued = options.maxQueued ?? 64;
    const langPath = options.langPath ?? defaultLangPath();
    checkLangPath(langPath);
    this.config = { langPath, limits: { ...DEFAULT_DECODE_LIMITS, ...options.limits } };
    this.execPath = options.execPath ?? process.execPath;
    this.workerEntry = options.workerEntry ?? WORKER_ENTRY;
    for (let i = 0; i < this.concurrency; i++) this.slots.push(this.spawn());
    this.memoryTimer = setInterval(() => this.checkMemory(), MEMORY_POLL_MS);
    this.memoryTimer.unref();
  }

  /** Opens a file in a worker and counts its pages without decoding them. Throws AttachmentError. */
  async probe(file: PageSource): Promise<ProbeResult> {
    return (await this.run({ op: 'probe', doc: sourceId(file) }, file, this.probeTimeoutMs)) as ProbeResult;
  }

  /** Reads one page (1-based): to retry a failed page, or to read pages on demand. Never throws for a bad page. */
  async ocrPage(file: PageSource, page: number): Promise<PageResult> {
    const started = Date.now();
    try {
      const r = (await this.run({ op: 'page', doc: sourceId(file), page: page - 1 }, file, this.pageTimeoutMs)) as PageOcrResult;
      return { page, status: 'done', ...r, error: null, ms: Date.now() - started };
    } catch (err) {
      return { page, status: 'failed', source: null, text: '', confidence: null, words: [], width: 0, height: 0, preprocessing: null, cpuMs: 0, error: toFailure(err, 'ocr_failed'), ms: Date.now() - started };
    }
  }

  /**
   * Reads every page of an attachment (or the pages asked for), in page order of completion, reporting
   * progress as each page finishes. A file that cannot be opened gives status 'failed' with its error.
   */
  async ocrAttachment(source: PageSource, options: { pages?: number[]; onProgress?: (p: OcrProgress) => void } = {}): Promise<AttachmentOcr> {
    const file = typeof source === 'string' ? source : source.id;
    const report = (p: Omit<OcrProgress, 'file'>) => {
      try {
        options.onProgress?.({ file, ...p });
      } catch {
        // A listener's failure is not the attachment's.
      }
    };
    let info: ProbeResult;
    try {
      info = await this.probe(source);
    } catch (err) {
      const error = toFailure(err);
      report({ pageCount: 0, pagesDone: 0, pagesFailed: 0, page: null, event: 'finished' });
      return { file, kind: null, pageCount: 0, status: 'failed', error, pages: [] };
    }
    const wanted = (options.pages ?? Array.from({ length: info.pageCount }, (_, i) => i + 1)).filter((p) => p >= 1 && p <= info.pageCount);
    let done = 0;
    let failed = 0;
    report({ pageCount: info.pageCount, pagesDone: 0, pagesFailed: 0, page: null, event: 'started' });
    const pending: Array<Promise<PageResult>> = [];
    for (const page of wanted) {
      await this.room();
      pending.push(
        this.ocrPage(source, page).then((result) => {
          if (result.status === 'done') done++;
          else failed++;
          report({ pageCount: info.pageCount, pagesDone: done, pagesFailed: failed, page, event: 'page', result });
          return result;
        }),
      );
    }
    const pages = (await Promise.all(pending)).sort((a, b) => a.page - b.page);
    report({ pageCount: info.pageCount, pagesDone: done, pagesFailed: failed, page: null, event: 'finished' });
    const status = failed === 0 ? 'done' : done === 0 && pages.length > 0 ? 'failed' : 'partial';
    const error = status === 'failed' ? (pages[0]?.error ?? null) : null;
    return { file, kind: info.kind, pageCount: info.pageCount, status, error, pages };
  }

  /**
   * A copy of one page (1-based) as PNG, in memory, with the given boxes (page-image pixels) blacked out. The
   * original is only read. With no boxes, this renders the page for a viewer; `priority` puts it ahead of the
   * pages waiting to be read, so that a person looking at a scan does not wait behind a long batch. `out`, when
   * given, is a file the caller wants the PNG written to (tools and tests with plain files; the desk never does).
   */
  async sanitisePage(file: PageSource, page: number, boxes: Box[], out?: string | null, options: { priority?: boolean } = {}): Promise<SanitiseResult> {
    const r = (await this.run({ op: 'sanitise', doc: sourceId(file), page: page - 1, boxes }, file, this.pageTimeoutMs, options.priority ?? false)) as SanitiseResult;
    if (out) writeFileSync(out, r.png, { mode: 0o600 });
    return r;
  }

  /** Process ids of the workers (for diagnostics, and for tests that kill one). */
  workerPids(): Array<{ pid: number | undefined; busy: boolean }> {
    return this.slots.map((s) => ({ pid: s.child.pid, busy: s.task !== null }));
  }

  stats(): PoolStats {
    return { workers: this.slots.length, busy: this.slots.filter((s) => s.task).length, queued: this.queue.length, restarts: this.restarts, completed: this.completed };
  }

  /** Stops the workers. Tasks still queued fail with 'cancelled'. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.memoryTimer);
    for (const t of this.queue.splice(0)) t.reject({ code: 'cancelled', message: 'The OCR pool was closed before this page was read' });
    for (const w of this.roomWaiters.splice(0)) w();
    await Promise.all(
      this.slots.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.task) this.finishTask(s, { ok: false, error: { code: 'cancelled', message: 'The OCR pool was closed while this page was being read' } });
            if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
            s.child.once('exit', () => resolve());
            s.child.kill('SIGKILL');
          }),
      ),
    );
  }

  /** Resolves when the queue has room for another page (back-pressure for callers feeding many files). */
  room(): Promise<void> {
    if (this.queue.length < this.maxQueued || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  private run(request: RequestBody, source: PageSource, timeoutMs: number, priority = false): Promise<unknown> {
    if (this.closed) return Promise.reject(new AttachmentError('cancelled', 'The OCR pool is closed'));
    if (this.startupFailure) return Promise.reject(new AttachmentError(this.startupFailure.code, this.startupFailure.message));
    return new Promise((resolve, reject) => {
      const task: Task = { request, source, timeoutMs, resolve, reject: (e) => reject(new AttachmentError(e.code, e.message)) };
      if (priority) this.queue.unshift(task);
      else this.queue.push(task);
      this.dispatch();
    });
  }

  private spawn(): Slot {
    const child = fork(this.workerEntry, [], {
      execPath: this.execPath,
      // Our own flags only: the parent's (a test runner's loaders, an inspector) must not be inherited.
      execArgv: ['--max-old-space-size=1024', '--no-warnings'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', IMS_OCR_WORKER_CONFIG: JSON.stringify(this.config) },
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const slot: Slot = { child, ready: false, task: null, taskId: 0, timer: null, stderr: '', killedFor: null, doc: null };
    child.stderr?.on('data', (d: Buffer) => {
      slot.stderr = (slot.stderr + d.toString()).slice(-16_000);
    });
    child.on('message', (m: WorkerReply) => this.onMessage(slot, m));
    child.on('exit', (code, signal) => this.onExit(slot, code, signal));
    child.on('error', () => {
      // 'exit' follows; spawning errors (a missing execPath) surface there as a crash.
    });
    return slot;
  }

  private onMessage(slot: Slot, m: WorkerReply): void {
    if (m.type === 'ready') {
      slot.ready = true;
      this.startupCrashes = 0;
      this.dispatch();
    } else if (m.type === 'startup-failed') {
      // A worker that cannot start (no language data, a broken install) will not start next time either.
      this.startupFailure = m.error;
      for (const t of this.queue.splice(0)) t.reject(m.error);
    } else if (m.type === 'result' && slot.task && m.id === slot.taskId) {
      this.finishTask(slot, m.ok ? { ok: true, value: m.value } : { ok: false, error: m.error });
    }
  }

  private onExit(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    const index = this.slots.indexOf(slot);
    // A dead process takes no more work: finishing its task dispatches the next one, which must not come here.
    const wasReady = slot.ready;
    slot.ready = false;
    if (slot.task) this.finishTask(slot, { ok: false, error: slot.killedFor ?? crashFailure(slot.task.request.op, slot.stderr, code, signal) });
    if (index < 0) return;
    if (this.closed || this.startupFailure) {
      return;
    }
    if (!wasReady && !slot.killedFor && ++this.startupCrashes >= 3) {
      const lastWords = slot.stderr.trim().split('\n').filter(Boolean).slice(-1)[0] ?? `exit code ${code}`;
      this.startupFailure = { code: 'worker_crashed', message: `The OCR workers cannot start (${lastWords.slice(0, 300)})` };
      for (const t of this.queue.splice(0)) t.reject(this.startupFailure);
      return;
    }
    this.restarts++;
    this.slots[index] = this.spawn();
  }

  private finishTask(slot: Slot, outcome: { ok: true; value: unknown } | { ok: false; error: AttachmentFailure }): void {
    const task = slot.task;
    if (!task) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.task = null;
    // A failed request may have left the worker without the document: send it again next time.
    slot.doc = outcome.ok ? task.request.doc : null;
    this.completed++;
    if (outcome.ok) task.resolve(outcome.value);
    else task.reject(outcome.error);
    this.dispatch();
  }

  private kill(slot: Slot, reason: AttachmentFailure): void {
    if (slot.killedFor) return;
    slot.killedFor = reason;
    slot.child.kill('SIGKILL');
  }

  private checkMemory(): void {
    for (const slot of this.slots) {
      if (!slot.task || slot.child.pid === undefined) continue;
      const mb = rssMb(slot.child.pid);
      if (mb !== null && mb > this.memoryLimitMb) {
        this.kill(slot, { code: 'out_of_memory', message: `Reading this page needed more than ${this.memoryLimitMb} MB of memory (a decompression bomb or an enormous page?), so it was stopped` });
      }
    }
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.task || slot.killedFor) continue;
      const task = this.queue.shift();
      if (!task) break;
      let bytes: Buffer | undefined;
      if (slot.doc !== task.request.doc) {
        try {
          bytes = readSource(task.source);
        } catch (err) {
          task.reject(toFailure(err, 'not_found'));
          continue;
        }
      }
      slot.task = task;
      slot.taskId = this.nextId++;
      slot.timer = setTimeout(
        () => this.kill(slot, { code: 'timeout', message: `Reading this ${task.request.op === 'probe' ? 'file' : 'page'} took longer than ${seconds(task.timeoutMs)}, so it was stopped` }),
        task.timeoutMs,
      );
      slot.child.send({ ...task.request, id: slot.taskId, ...(bytes ? { bytes } : {}) } as WorkerRequest);
    }
    while (this.roomWaiters.length && this.queue.length < this.maxQueued) this.roomWaiters.shift()?.();
  }
}
