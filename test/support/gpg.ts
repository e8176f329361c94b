import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SigningKey {
  /** the GNUPGHOME that holds the key and both exported keyrings */
  dir: string;
  /** the uid name, what `helm package --sign --key` matches */
  name: string;
  /** legacy binary keyring with the secret key, for `helm package --sign --keyring` */
  secretKeyring: string;
  /** legacy binary keyring with the public key, for `helm verify --keyring` */
  publicKeyring: string;
}

const keyName = 'Charthouse Test';

function runGpg(command: string, args: string[], env: Record<string, string | undefined>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { env, timeout: 120_000 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      reject(new Error(`${command} ${args.join(' ')} failed (${err.message.trim()})\n${stderr}`));
    });
    child.stdin?.end();
  });
}

/**
 * A fresh RSA (or Ed25519) key without passphrase in its own GNUPGHOME, exported as secring.gpg/pubring.gpg:
 * Helm's openpgp code reads only the legacy keyring format, not gpg 2.1's keybox.
 */
export async function createSigningKey(
  t?: { after(fn: () => unknown): void },
  algorithm: 'rsa' | 'ed25519' = 'rsa',
): Promise<SigningKey> {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-gpg-'));
  const env = { ...process.env, GNUPGHOME: dir };
  // the agent started for this home must not outlive it
  const stopAgent = () => runGpg('gpgconf', ['--kill', 'gpg-agent'], env).catch(() => undefined);
  t?.after(async () => {
    await stopAgent();
    await rm(dir, { recursive: true, force: true });
  });

  const params = join(dir, 'key-params');
  await writeFile(
    params,
    [
      '%no-protection',
      // Helm 3 cannot use Ed25519 keys at all; Helm 4 signs and verifies with them
      ...(algorithm === 'rsa'
        ? ['Key-Type: RSA', 'Key-Length: 2048']
        : ['Key-Type: EDDSA', 'Key-Curve: ed25519']),
      `Name-Real: ${keyName}`,
      'Name-Email: test@charthouse.invalid',
      'Expire-Date: 0',
      '%commit',
      '',
    ].join('\n'),
  );
  const batch = ['--batch', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', ''];
  const secretKeyring = join(dir, 'secring.gpg');
  const publicKeyring = join(dir, 'pubring.gpg');
  try {
    await runGpg('gpg', [...batch, '--gen-key', params], env);
    await runGpg('gpg', [...batch, '--output', secretKeyring, '--export-secret-keys', keyName], env);
    await runGpg('gpg', [...batch, '--output', publicKeyring, '--export', keyName], env);
  } catch (err) {
    if (!t) {
      await stopAgent();
      await rm(dir, { recursive: true, force: true });
    }
    throw new Error(`creating a test signing key in ${dir} failed: ${String(err)}`);
  }
  return { dir, name: keyName, secretKeyring, publicKeyring };
}
