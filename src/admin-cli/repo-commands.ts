/** `charthouse repo create|list|set-visibility|grant|revoke`. Repository paths: `team/apps`, `/` for the root. */
import type { RepositoryInfo } from '../auth/accounts.js';
import { proxyFlags, proxyFromFlags } from '../proxy/proxy-options.js';
import type { CommandGroup } from './context.js';
import { printList } from './context.js';
import { formatTable, showRepository } from './table.js';

function describeMembers(repository: RepositoryInfo): string {
  return repository.members.map((member) => `${member.user}:${member.role}`).join(', ') || '-';
}

export const repoCommands: CommandGroup = {
  create: {
    usage:
      'repo create PATH [--visibility public|private] [--proxy URL [--ttl 10m] [--upstream-username U --upstream-password P | --upstream-token T] [--ca-file PEM]]',
    required: ['PATH'],
    flags: { visibility: 'value', ...proxyFlags },
    writes: true,
    async run({ accounts, lifecycle, io, positionals: [path = ''], flags }) {
      // read before anything is created, so that a bad flag leaves no repository behind
      const upstream = await proxyFromFlags(flags, io.env);
      const repository = await accounts.createRepository(path, flags.get('visibility'));
      if (upstream) await lifecycle.setProxy(repository.path, upstream);
      const kind = upstream ? ` proxy of ${upstream.url} (TTL ${upstream.ttlMs / 1000} s)` : '';
      io.stdout.write(
        `created ${repository.visibility} repository "${showRepository(repository.path)}"${kind}\n`,
      );
    },
  },
  list: {
    usage: 'repo list [--json]',
    flags: { json: 'boolean' },
    writes: false,
    async run(context) {
      const repositories = await context.accounts.listRepositories();
      printList(context, repositories, () =>
        formatTable(
          ['PATH', 'VISIBILITY', 'MEMBERS'],
          repositories.map((repository) => [
            showRepository(repository.path),
            `${repository.visibility}${repository.visibilityIsDefault ? ' (default)' : ''}`,
            describeMembers(repository),
          ]),
        ),
      );
    },
  },
  'set-visibility': {
    usage: 'repo set-visibility PATH public|private',
    required: ['PATH', 'VISIBILITY'],
    writes: true,
    async run({ accounts, io, positionals: [path = '', visibility = ''] }) {
      const repository = await accounts.setVisibility(path, visibility);
      io.stdout.write(`repository "${showRepository(repository.path)}" is now ${repository.visibility}\n`);
    },
  },
  grant: {
    usage: 'repo grant PATH USER read|write|admin',
    required: ['PATH', 'USER', 'ROLE'],
    writes: true,
    async run({ accounts, io, positionals: [path = '', user = '', role = ''] }) {
      const repository = await accounts.grant(path, user, role);
      io.stdout.write(`"${user}" has the role ${role} in "${showRepository(repository.path)}"\n`);
    },
  },
  revoke: {
    usage: 'repo revoke PATH USER',
    required: ['PATH', 'USER'],
    writes: true,
    async run({ accounts, io, positionals: [path = '', user = ''] }) {
      const repository = await accounts.revoke(path, user);
      io.stdout.write(`"${user}" has no role in "${showRepository(repository.path)}" any more\n`);
    },
  },
};
