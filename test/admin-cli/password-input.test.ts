import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { PasswordCancelled, readNewPassword } from '../../src/admin-cli/password-input.js';
import { ConfigError } from '../../src/config/config.js';

/** A terminal stand-in: records raw-mode switches and everything written to it. */
function fakeTerminal(isTTY = true) {
  const stdin = Object.assign(new PassThrough(), {
    isTTY,
    rawModes: [] as boolean[],
    setRawMode(raw: boolean) {
      stdin.rawModes.push(raw);
      events.push(`raw ${raw}`);
      return stdin;
    },
  });
  let written = '';
  /** raw-mode switches and writes, in order */
  const events: string[] = [];
  const stderr = {
    write: (text: string) => {
      events.push(text);
      written += text;
    },
  };
  return { stdin, stderr, events, written: () => written };
}

/** Types each answer once the prompt for it has been written. */
async function typeAnswers(terminal: ReturnType<typeof fakeTerminal>, answers: string[]) {
  for (const [index, answer] of answers.entries()) {
    while ((terminal.written().match(/: /g) ?? []).length <= index) await new Promise((r) => setImmediate(r));
    terminal.stdin.write(answer);
  }
}

test('the terminal prompt asks twice without echo and honours backspace', async () => {
  const terminal = fakeTerminal();
  const answer = readNewPassword(terminal, false);
  await typeAnswers(terminal, ['hunter22x\r', 'hunter22y\u007fx\r']);
  assert.equal(await answer, 'hunter22x');
  assert.equal(terminal.written(), 'Password: \nRepeat password: \n');
  // raw mode is on before each prompt appears, so a fast typist is never echoed either
  assert.deepEqual(terminal.events, [
    'raw true',
    'Password: ',
    'raw false',
    '\n',
    'raw true',
    'Repeat password: ',
    'raw false',
    '\n',
  ]);
});

test('passwords that differ, and Ctrl-C, change nothing', async () => {
  const differ = fakeTerminal();
  const mismatch = readNewPassword(differ, false);
  await typeAnswers(differ, ['one password\r', 'another one\r']);
  await assert.rejects(
    mismatch,
    (err) => err instanceof PasswordCancelled && /do not match/.test(err.message),
  );

  const interrupted = fakeTerminal();
  const cancelled = readNewPassword(interrupted, false);
  await typeAnswers(interrupted, ['half\u0003']);
  await assert.rejects(cancelled, PasswordCancelled);
  assert.deepEqual(interrupted.stdin.rawModes, [true, false]);
});

test('--password-stdin reads one line; without it and without a terminal the command refuses', async () => {
  const piped = fakeTerminal(false);
  const line = readNewPassword(piped, true);
  piped.stdin.end('from a pipe\nsecond line\n');
  assert.equal(await line, 'from a pipe');
  assert.equal(piped.written(), '');
  await assert.rejects(readNewPassword(fakeTerminal(false), false), ConfigError);
});
