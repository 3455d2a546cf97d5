// Progress for long work: one rewritten line on a terminal, a plain line every few seconds in CI
// or when piped, so logs stay line-oriented.
export interface ProgressDisplay {
  update(line: string): void;
  /** Ends the live line so later output starts on a fresh one. */
  done(): void;
}

export function progressDisplay(stream: NodeJS.WriteStream = process.stderr, plainEveryMs = 10_000): ProgressDisplay {
  const live = Boolean(stream.isTTY) && !process.env.CI;
  let lastPlain = 0;
  let shown = false;
  return {
    update(line) {
      if (live) {
        stream.write(`\r\x1b[K${line}`);
        shown = true;
      } else if (Date.now() - lastPlain >= plainEveryMs) {
        lastPlain = Date.now();
        stream.write(`${line}\n`);
      }
    },
    done() {
      if (live && shown) stream.write('\n');
      shown = false;
    },
  };
}
