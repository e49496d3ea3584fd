import { createInterface } from 'node:readline/promises';
import { usageError } from './errors.ts';

/** Questions need someone to answer them: a terminal on stdin. Scripts must pass flags instead. */
export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY);
}

function requireTerminal(what: string, flag: string): void {
  if (!canPrompt()) throw usageError(`${what} is required and stdin is not a terminal`, `pass ${flag}`);
}

export async function ask(question: string, flag: string): Promise<string> {
  requireTerminal(question.replace(/:\s*$/, ''), flag);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** Reads a secret without echoing it (raw mode), so it never lands in the terminal's scrollback. */
export async function askSecret(question: string, flag: string): Promise<string> {
  requireTerminal(question.replace(/:\s*$/, ''), flag);
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const onData = (chunk: string) => {
        for (const char of chunk) {
          if (char === '\r' || char === '\n' || char === '\u0004') {
            stdin.off('data', onData);
            resolve(value);
            return;
          }
          if (char === '\u0003') {
            stdin.off('data', onData);
            reject(usageError('cancelled'));
            return;
          }
          if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
          else value += char;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}

/** A yes/no question; anything but y/yes is no. */
export async function confirm(question: string, flag: string): Promise<boolean> {
  const answer = await ask(`${question} [y/N] `, flag);
  return /^y(es)?$/i.test(answer);
}

/** Everything on stdin, for `--password-stdin` (one trailing newline removed, as `echo` adds one). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
