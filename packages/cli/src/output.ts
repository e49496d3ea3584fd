import type { Writable } from 'node:stream';

type Stream = Writable & { isTTY?: boolean };

/** Colours only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colorEnabled(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
}

export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

function paint(enabled: boolean): Paint {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
  };
}

/**
 * Where a command's words go. With `--json`, stdout carries exactly one JSON document (the result or
 * the error) and human notes are dropped; otherwise results go to stdout and notes, warnings and
 * progress to stderr, so `hisaabo export -o - > file` keeps the archive clean.
 */
export class Output {
  readonly json: boolean;
  readonly out: Paint;
  readonly err: Paint;
  readonly stdout: Stream;
  readonly stderr: Stream;
  /** When stdout carries data (`-o -`), human results move to stderr. */
  private stdoutTaken = false;

  constructor(options: { json: boolean; stdout?: Stream; stderr?: Stream }) {
    this.json = options.json;
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    this.out = paint(colorEnabled(this.stdout));
    this.err = paint(colorEnabled(this.stderr));
  }

  /** Reserve stdout for binary data. */
  takeStdout(): void {
    this.stdoutTaken = true;
  }

  /** A progress note for humans (stderr); silent under `--json`. */
  note(line: string): void {
    if (!this.json) this.stderr.write(`${line}\n`);
  }

  warn(line: string): void {
    if (!this.json) this.stderr.write(`${this.err.yellow('warning:')} ${line}\n`);
  }

  /** The command's result: `lines` for people, `value` for `--json`. */
  result(lines: readonly string[], value: unknown): void {
    if (this.json) {
      this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      return;
    }
    const target = this.stdoutTaken ? this.stderr : this.stdout;
    for (const line of lines) target.write(`${line}\n`);
  }
}

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** 1234 → "1.2 s"; 75000 → "1m15s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}

/** Rows per table as aligned lines, skipping nothing: an empty table is a fact too. */
export function tableLines(rows: Record<string, number>, indent = '  '): string[] {
  const names = Object.keys(rows);
  const width = Math.max(0, ...names.map((name) => name.length));
  return names.map((name) => `${indent}${name.padEnd(width)}  ${String(rows[name]).padStart(8)}`);
}
