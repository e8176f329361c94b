/** `charthouse user add|list|remove|passwd`. */
import type { CommandGroup } from './context.js';
import { printList } from './context.js';
import { readNewPassword } from './password-input.js';
import { formatTable } from './table.js';

export const userCommands: CommandGroup = {
  add: {
    usage: 'user add NAME [--admin] [--password-stdin]',
    required: ['NAME'],
    flags: { admin: 'boolean', 'password-stdin': 'boolean' },
    writes: true,
    async run({ accounts, io, positionals: [name = ''], flags, storage }) {
      const admin = flags.has('admin');
      const password = await readNewPassword(io, flags.has('password-stdin'));
      await accounts.addUser(name, password, { admin });
      io.stdout.write(`added ${admin ? 'server admin' : 'user'} "${name}" to ${storage}\n`);
    },
  },
  list: {
    usage: 'user list [--json]',
    flags: { json: 'boolean' },
    writes: false,
    async run(context) {
      const users = await context.accounts.listUsers();
      printList(context, users, () =>
        formatTable(
          ['NAME', 'ADMIN', 'CREATED'],
          users.map((user) => [user.name, user.admin ? 'yes' : 'no', user.created]),
        ),
      );
    },
  },
  remove: {
    usage: 'user remove NAME',
    required: ['NAME'],
    writes: true,
    async run({ accounts, io, positionals: [name = ''] }) {
      await accounts.removeUser(name);
      io.stdout.write(`removed user "${name}" with their tokens and repository roles\n`);
    },
  },
  passwd: {
    usage: 'user passwd NAME [--password-stdin]',
    required: ['NAME'],
    flags: { 'password-stdin': 'boolean' },
    writes: true,
    async run({ accounts, io, positionals: [name = ''], flags }) {
      // Checked before the prompt, so nobody types a password twice for a user that does not exist.
      await accounts.getUser(name);
      await accounts.setPassword(name, await readNewPassword(io, flags.has('password-stdin')));
      io.stdout.write(`changed the password of "${name}"\n`);
    },
  },
};
