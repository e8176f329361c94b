/**
 * `charthouse key add|list|remove` (keyrings: one per repository, and the server-wide one with
 * --global) and `charthouse repo set-policy|policies` (which repositories verify or require signatures).
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/config.js';
import type { KeyringName } from '../trust/keyrings.js';
import { describeScope } from '../trust/keyrings.js';
import { GLOBAL_SCOPE } from '../trust/keys.js';
import type { CommandContext, CommandGroup } from './context.js';
import { printList } from './context.js';
import { formatTable, showRepository } from './table.js';

/** `REPO ARG` or `--global ARG`: the keyring and the one argument after it. */
function keyringAndArgument(context: CommandContext, what: string): [KeyringName, string] {
  const [first = '', second] = context.positionals;
  if (context.flags.has('global')) {
    if (second !== undefined)
      throw new ConfigError(`with --global, give the ${what} only (not a repository too)`);
    return [{ global: true }, first];
  }
  if (second === undefined)
    throw new ConfigError(`missing ${what}: give a repository (or --global) and the ${what}`);
  return [{ repository: first }, second];
}

const showScope = (scope: string) => (scope === GLOBAL_SCOPE ? '(global)' : showRepository(scope));

export const keyCommands: CommandGroup = {
  add: {
    usage: 'key add REPO|--global FILE',
    required: ['REPO|FILE'],
    optional: ['FILE'],
    flags: { global: 'boolean' },
    writes: true,
    async run(context) {
      const [keyring, file] = keyringAndArgument(context, 'key file');
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (err) {
        throw new ConfigError(
          `cannot read the key file ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`,
        );
      }
      for (const key of await context.keyrings.addKeys(keyring, bytes)) {
        context.io.stdout.write(
          `added ${key.algorithm} key ${key.fingerprint} (${key.userId}) to ${describeScope(key.scope)}\n`,
        );
      }
    },
  },
  list: {
    usage: 'key list [REPO|--global] [--json]',
    optional: ['REPO'],
    flags: { global: 'boolean', json: 'boolean' },
    writes: false,
    async run(context) {
      const [repository] = context.positionals;
      const keyring: KeyringName | undefined = context.flags.has('global')
        ? { global: true }
        : repository === undefined
          ? undefined
          : { repository };
      const keys = await context.keyrings.listKeys(keyring);
      printList(context, keys, () =>
        formatTable(
          ['KEYRING', 'FINGERPRINT', 'ALGORITHM', 'USER ID'],
          keys.map((k) => [showScope(k.scope), k.fingerprint, k.algorithm, k.userId]),
        ),
      );
    },
  },
  remove: {
    usage: 'key remove REPO|--global FINGERPRINT',
    required: ['REPO|FINGERPRINT'],
    optional: ['FINGERPRINT'],
    flags: { global: 'boolean' },
    writes: true,
    async run(context) {
      const [keyring, fingerprint] = keyringAndArgument(context, 'fingerprint');
      await context.keyrings.removeKey(keyring, fingerprint);
      context.io.stdout.write(
        `removed key ${fingerprint} from ${describeScope('global' in keyring ? GLOBAL_SCOPE : keyring.repository)}\n`,
      );
    },
  },
};

export const policyCommands: CommandGroup = {
  'set-policy': {
    usage: 'repo set-policy PATH --signatures off|verify|require',
    required: ['PATH'],
    flags: { signatures: 'value' },
    writes: true,
    async run({ keyrings, io, positionals: [path = ''], flags }) {
      const signatures = flags.get('signatures');
      if (signatures === undefined) throw new ConfigError('missing --signatures off|verify|require');
      const policy = await keyrings.setPolicy(path, signatures);
      io.stdout.write(
        `repository "${showRepository(policy.repository)}" now has signature policy ${policy.signatures}\n`,
      );
    },
  },
  policies: {
    usage: 'repo policies [--json]',
    flags: { json: 'boolean' },
    writes: false,
    async run(context) {
      const policies = await context.keyrings.listPolicies();
      printList(context, policies, () =>
        formatTable(
          ['PATH', 'SIGNATURES', 'UPDATED'],
          policies.map((p) => [showRepository(p.repository), p.signatures, p.updated]),
        ),
      );
    },
  },
};
