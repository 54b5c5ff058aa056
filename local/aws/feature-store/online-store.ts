/**
 * The online store: latest record per identifier. Writes append to
 * `<stateDir>/feature-store/online/<group>.jsonl`; reading replays the log's new tail with the
 * Feature Store rule (a record replaces the current one only if its EventTime is not older), so
 * order of concurrent writers does not matter and each put costs one append.
 */
import { appendFile, mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export interface FeatureValue {
  FeatureName: string;
  ValueAsString: string;
}

interface OnlineEntry {
  op: 'put' | 'delete';
  id: string;
  eventTimeMs: number;
  record?: FeatureValue[];
}

interface GroupView {
  offset: number;
  records: Map<string, { eventTimeMs: number; record: FeatureValue[] | undefined }>;
}

/** Log bytes read at a time; a record is at most 400 KB (Feature Store's limit), so a line fits. */
const READ_CHUNK_BYTES = 8 * 1024 * 1024;

/** Bytes of log lines written together; under the 512 KiB that fs.appendFile writes in one call. */
const MAX_BATCH_BYTES = 256 * 1024;

/**
 * Replays log lines into the view with Feature Store's rule: an older EventTime never replaces a
 * newer one. A line that is not JSON is a write cut short by a killed process (each batch starts
 * on a new line, see appendLine): its PutRecord never returned, so it is skipped.
 */
function applyLines(view: GroupView, text: string): void {
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    let entry: OnlineEntry;
    try {
      entry = JSON.parse(line) as OnlineEntry;
    } catch {
      continue;
    }
    const current = view.records.get(entry.id);
    if (current && entry.eventTimeMs < current.eventTimeMs) continue;
    view.records.set(entry.id, { eventTimeMs: entry.eventTimeMs, record: entry.op === 'put' ? entry.record : undefined });
  }
}

export class OnlineStore {
  private readonly views = new Map<string, GroupView>();
  /** One refresh at a time per group: two reads from the same offset would each advance it. */
  private readonly refreshing = new Map<string, Promise<GroupView>>();
  /** A refresh queued behind the running one; later callers share it instead of queueing more. */
  private readonly queuedRefresh = new Map<string, Promise<GroupView>>();
  /** Lines waiting for the next append, per group: concurrent puts cost one write together. */
  private readonly pendingLines = new Map<string, { lines: string[]; bytes: number; written: Promise<void> }>();
  /** The last batch write per group, which the next batch waits for. */
  private readonly lastWrite = new Map<string, Promise<void>>();
  private readonly createdDirs = new Set<string>();
  /** One read handle per group log, kept open: each refresh is then a stat and a read, not four calls. */
  private readonly readHandles = new Map<string, FileHandle>();

  constructor(private readonly stateDir: string) {}

  private logPath(group: string): string {
    return join(this.stateDir, 'feature-store', 'online', `${group}.jsonl`);
  }

  /** `recordJson`: JSON.stringify(record) when the caller has it already (the line is then built around it). */
  async put(group: string, id: string, eventTimeMs: number, record: FeatureValue[], recordJson = JSON.stringify(record)): Promise<void> {
    // The same text as JSON.stringify of the entry (same keys, same order; eventTimeMs is finite).
    await this.appendLine(group, `{"op":"put","id":${JSON.stringify(id)},"eventTimeMs":${JSON.stringify(eventTimeMs)},"record":${recordJson}}\n`);
  }

  async delete(group: string, id: string, eventTimeMs: number): Promise<void> {
    await this.append(group, { op: 'delete', id, eventTimeMs });
  }

  async get(group: string, id: string): Promise<{ eventTimeMs: number; record: FeatureValue[] } | undefined> {
    const current = (await this.refresh(group)).records.get(id);
    return current?.record ? { eventTimeMs: current.eventTimeMs, record: current.record } : undefined;
  }

  /** Closes the log read handles (they are kept open between reads); the store reopens them on the next read. */
  async close(): Promise<void> {
    // A read in flight may still open a handle: let it finish first.
    await Promise.allSettled([...this.refreshing.values()]);
    const handles = [...this.readHandles.values()];
    this.readHandles.clear();
    this.views.clear();
    await Promise.all(handles.map((handle) => handle.close().catch(() => undefined)));
  }

  async drop(group: string): Promise<void> {
    await this.readHandles.get(group)?.close();
    this.readHandles.delete(group);
    await rm(this.logPath(group), { force: true });
    this.views.delete(group);
  }

  private append(group: string, entry: OnlineEntry): Promise<void> {
    return this.appendLine(group, `${JSON.stringify(entry)}\n`);
  }

  private appendLine(group: string, line: string): Promise<void> {
    const bytes = Buffer.byteLength(line);
    const pending = this.pendingLines.get(group);
    if (pending && pending.bytes + bytes <= MAX_BATCH_BYTES) {
      pending.lines.push(line);
      pending.bytes += bytes;
      return pending.written;
    }
    // A new batch starts after the previous one is written, so lines land in the order of the puts
    // (equal EventTimes: the later put wins, as on AWS).
    const previous = pending?.written ?? this.lastWrite.get(group) ?? Promise.resolve();
    const batch = { lines: [line], bytes, written: Promise.resolve() };
    batch.written = Promise.all([previous.catch(() => undefined), new Promise<void>((resolve) => setImmediate(resolve))]).then(async () => {
      if (this.pendingLines.get(group) === batch) this.pendingLines.delete(group);
      const dir = join(this.stateDir, 'feature-store', 'online');
      if (!this.createdDirs.has(dir)) {
        await mkdir(dir, { recursive: true });
        this.createdDirs.add(dir);
      }
      // One write() of whole lines (appendFile writes at most 512 KiB per call, hence the cap):
      // O_APPEND keeps other processes' lines intact around it. The leading newline ends a line a
      // killed writer may have left cut short, so that line alone is lost, never the next one.
      await appendFile(this.logPath(group), `\n${batch.lines.join('')}`);
    });
    this.pendingLines.set(group, batch);
    this.lastWrite.set(group, batch.written);
    return batch.written;
  }

  private refresh(group: string): Promise<GroupView> {
    const queued = this.queuedRefresh.get(group);
    if (queued) return queued;
    const previous = this.refreshing.get(group) ?? Promise.resolve(undefined);
    const next = previous
      .catch(() => undefined)
      .then(() => {
        this.queuedRefresh.delete(group);
        return this.readNewTail(group);
      });
    this.queuedRefresh.set(group, next);
    this.refreshing.set(group, next);
    return next;
  }

  private async readNewTail(group: string): Promise<GroupView> {
    const view = this.views.get(group) ?? { offset: 0, records: new Map() };
    this.views.set(group, view);
    let handle = this.readHandles.get(group);
    if (!handle) {
      handle = await open(this.logPath(group), 'r').catch(() => undefined);
      if (!handle) return view;
      this.readHandles.set(group, handle);
    }
    const { size } = await handle.stat();
    // In chunks: the log keeps every put of every run on this state directory, and read whole it
    // passed V8's string limit (0x1fffffe8 characters) after ~15 runs of 2.67M rows.
    const buffer = Buffer.alloc(Math.min(READ_CHUNK_BYTES, Math.max(0, size - view.offset)));
    while (view.offset < size) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - view.offset), view.offset);
      const complete = buffer.subarray(0, bytesRead).lastIndexOf(0x0a) + 1;
      if (complete === 0) {
        // No line end: the last line is still being appended by a writer, or a line is longer than a chunk.
        if (bytesRead === 0 || view.offset + bytesRead >= size) break;
        throw new Error(`online store log ${this.logPath(group)}: a line at byte ${view.offset} is longer than ${READ_CHUNK_BYTES} bytes`);
      }
      applyLines(view, buffer.subarray(0, complete).toString('utf8'));
      view.offset += complete;
    }
    return view;
  }
}
