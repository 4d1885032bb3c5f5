/**
 * The command's progress bar: bytes, rate and time left, and the files of the shard when there
 * are several. Private to the package.
 *
 * @module
 */

import { formatBytes } from "./report.ts";

/** How far a run has got: bytes of input, and files when the run has several. */
export interface BarState {
  bytes: number;
  totalBytes: number;
  files?: number;
  totalFiles?: number;
}

/** A progress bar drawn on one terminal line. */
export interface ProgressBar {
  update(state: BarState): void;
  end(): void;
}

/**
 * Draws `[#####.....] 50% 3/30 files 1.0/2.0 GiB 120.3 MiB/s 8s left` at most ten times a
 * second (the file count only for datasets). The time left comes from the bytes' rate.
 */
export function progressBar(write: (text: string) => void): ProgressBar {
  const start = performance.now();
  let last = -Infinity, drawn = false;
  return {
    update({ bytes, totalBytes, files, totalFiles }) {
      const now = performance.now();
      const finished = bytes >= totalBytes && (files ?? 0) >= (totalFiles ?? 0);
      if (now - last < 100 && !finished) return;
      last = now;
      const seconds = (now - start) / 1000;
      const rate = seconds > 0 ? bytes / seconds : 0;
      const fraction = totalBytes > 0 ? Math.min(1, bytes / totalBytes) : 1;
      const filled = Math.round(fraction * 30);
      const left = rate > 0 ? Math.ceil((totalBytes - bytes) / rate) : NaN;
      const count = totalFiles === undefined ? "" : `${files}/${totalFiles} files `;
      write(
        `\r\x1b[K[${"#".repeat(filled)}${".".repeat(30 - filled)}] ${
          Math.floor(fraction * 100)
        }% ${count}` +
          `${formatBytes(bytes)}/${formatBytes(totalBytes)} ${formatBytes(Math.round(rate))}/s` +
          (Number.isFinite(left) ? ` ${left}s left` : ""),
      );
      drawn = true;
    },
    end() {
      if (drawn) write("\r\x1b[K");
    },
  };
}
