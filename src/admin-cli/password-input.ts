/**
 * Where a new password comes from: one line of standard input with --password-stdin (for scripts),
 * or a prompt on the terminal that does not echo and asks twice. Never a flag value, which would
 * land in the shell history and the process list.
 */
import { createInterface } from 'node:readline';
import { ConfigError } from '../config/config.js';

export interface PasswordInput {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  /** the prompt goes here, so that stdout stays clean for scripts */
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

export class PasswordCancelled extends Error {}

export async function readNewPassword(io: PasswordInput, fromStdin: boolean): Promise<string> {
  if (fromStdin) return readLine(io.stdin);
  if (!io.stdin.isTTY || !io.stdin.setRawMode) {
    throw new ConfigError(
      'no password given: pipe it with --password-stdin, or run on a terminal to be prompted',
    );
  }
  const password = await promptHidden(io, 'Password: ');
  const again = await promptHidden(io, 'Repeat password: ');
  if (password !== again) throw new PasswordCancelled('the passwords do not match; nothing changed');
  return password;
}

/** The first line of the stream, without its line ending. */
export function readLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      lines.close();
      resolve(line);
    });
    lines.once('close', () => {
      if (!answered) reject(new ConfigError('--password-stdin: standard input ended before a password line'));
    });
  });
}

/** Reads a line in raw mode, echoing nothing; backspace edits, Ctrl-C and Ctrl-D give up. */
export function promptHidden(io: PasswordInput, prompt: string): Promise<string> {
  const { stdin, stderr } = io;
  // raw mode before the prompt, so that nothing typed after the prompt appears is ever echoed
  stdin.setRawMode?.(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      stderr.write('\n');
    };
    const onData = (chunk: string | Buffer) => {
      for (const char of String(chunk)) {
        if (char === '\r' || char === '\n') {
          finish();
          resolve(value);
          return;
        }
        if (char === '\u0003' || char === '\u0004') {
          finish();
          reject(new PasswordCancelled('cancelled; nothing changed'));
          return;
        }
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on('data', onData);
  });
}
