/** `charthouse token create|list|revoke`. */
import type { CommandGroup } from './context.js';
import { printList } from './context.js';
import { formatTable } from './table.js';

export const tokenCommands: CommandGroup = {
  create: {
    usage: 'token create USER NAME [--expires-in 90d | --expires 2027-01-31]',
    required: ['USER', 'NAME'],
    flags: { 'expires-in': 'value', expires: 'value' },
    writes: true,
    async run({ accounts, io, positionals: [user = '', name = ''], flags }) {
      const expiresIn = flags.get('expires-in');
      const expires = flags.get('expires');
      const { token, secret } = await accounts.createToken(user, name, {
        ...(expiresIn === undefined ? {} : { expiresIn }),
        ...(expires === undefined ? {} : { expires }),
      });
      // Only the secret on stdout, so that `TOKEN=$(charthouse token create …)` captures it alone.
      io.stderr.write(
        `created token "${token.name}" for "${token.user}", ${token.expires ? `expiring ${token.expires}` : 'never expiring'}; it is shown only this once:\n`,
      );
      io.stdout.write(`${secret}\n`);
    },
  },
  list: {
    usage: 'token list [USER] [--json]',
    optional: ['USER'],
    flags: { json: 'boolean' },
    writes: false,
    async run(context) {
      const tokens = await context.accounts.listTokens(context.positionals[0]);
      printList(context, tokens, () =>
        formatTable(
          ['USER', 'NAME', 'STATUS', 'CREATED', 'EXPIRES', 'LAST USED'],
          tokens.map((token) => [
            token.user,
            token.name,
            token.status,
            token.created,
            token.expires ?? 'never',
            token.lastUsed ?? '-',
          ]),
        ),
      );
    },
  },
  revoke: {
    usage: 'token revoke USER NAME',
    required: ['USER', 'NAME'],
    writes: true,
    async run({ accounts, io, positionals: [user = '', name = ''] }) {
      await accounts.revokeToken(user, name);
      io.stdout.write(`revoked token "${name}" of "${user}"\n`);
    },
  },
};
