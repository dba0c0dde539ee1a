/**
 * A one-line progress display for downloads on a TTY (bytes, total when known, rate); silent
 * elsewhere, so logs and pipes get only the per-part summary lines.
 */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

export interface ProgressBar {
  /** Bytes so far for one file (total when the server sent Content-Length). */
  update(file: string, received: number, total: number | undefined): void;
  /** The file is finished (or failed); drop it from the line. */
  done(file: string): void;
  /** Print a message above the bar (retries). */
  note(line: string): void;
  /** Clear the line. */
  stop(): void;
}

const BAR_WIDTH = 20;
const MIN_INTERVAL_MS = 100;

export function createProgressBar(write: (s: string) => void, isTTY: boolean, label: string, now: () => number = Date.now): ProgressBar {
  if (!isTTY) {
    return { update() {}, done() {}, note: (line) => write(line + '\n'), stop() {} };
  }
  const files = new Map<string, { received: number; total: number | undefined }>();
  const started = now();
  let finishedBytes = 0;
  let lastDraw = 0;
  let shown = false;

  const draw = (force: boolean): void => {
    const t = now();
    if (!force && t - lastDraw < MIN_INTERVAL_MS) return;
    lastDraw = t;
    let received = 0;
    let total = 0;
    let totalKnown = files.size > 0;
    for (const f of files.values()) {
      received += f.received;
      if (f.total === undefined) totalKnown = false;
      else total += f.total;
    }
    const seconds = Math.max(0.001, (t - started) / 1000);
    const rate = (finishedBytes + received) / seconds;
    let bar = '';
    if (totalKnown && total > 0) {
      const filled = Math.min(BAR_WIDTH, Math.round((received / total) * BAR_WIDTH));
      bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${formatBytes(received)}/${formatBytes(total)}`;
    } else {
      bar = formatBytes(received);
    }
    const names = [...files.keys()].join(' ');
    write(`\r\x1b[K${label} ${names} ${bar} ${formatBytes(Math.round(rate))}/s`);
    shown = true;
  };
  const clear = (): void => {
    if (shown) write('\r\x1b[K');
    shown = false;
  };
  return {
    update(file, received, total) {
      files.set(file, { received, total });
      draw(false);
    },
    done(file) {
      const f = files.get(file);
      if (f) finishedBytes += f.received;
      files.delete(file);
      if (files.size === 0) clear();
      else draw(true);
    },
    note(line) {
      clear();
      write(line + '\n');
      if (files.size) draw(true);
    },
    stop: clear,
  };
}
