import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { adminGroups } from '../src/admin-cli/groups.js';
import { type CommandFlags, flagKind, parseCommandLine } from '../src/config/cli-args.js';
import { adminServerOptions, commandSpecs } from '../src/config/commands.js';
import { ConfigError, configOptions, loadConfig } from '../src/config/config.js';
import { commandNames, renderCommandHelp, renderHelp } from '../src/config/help.js';

interface Accepting {
  help: string;
  command: string;
  flags: CommandFlags;
  serverOptions: 'all' | readonly string[];
}

const everyCommand: Accepting[] = [
  ...commandSpecs.map((spec) => ({
    help: renderCommandHelp(spec.name) ?? '',
    command: spec.name,
    flags: spec.flags,
    serverOptions: spec.serverOptions,
  })),
  ...Object.entries(adminGroups).flatMap(([group, subcommands]) =>
    Object.entries(subcommands).map(([name, sub]) => ({
      help: renderCommandHelp(group, name) ?? '',
      command: `${group} ${name}`,
      flags: sub.flags ?? {},
      serverOptions: adminServerOptions,
    })),
  ),
];

/** The flags a help text documents: the `--name` opening each option row. */
const documented = (help: string) => new Set([...help.matchAll(/^ {2}--([a-z0-9-]+)/gm)].map((m) => m[1]));

/** Every flag any command or the server takes, each with a value its parser accepts. */
const candidates = new Map<string, string[]>();
for (const option of configOptions) {
  candidates.set(option.flag, option.boolean ? [`--${option.flag}`] : [`--${option.flag}=${option.default}`]);
}
for (const { flags } of everyCommand) {
  for (const [name, flag] of Object.entries(flags)) {
    if (!candidates.has(name))
      candidates.set(name, flagKind(flag) === 'boolean' ? [`--${name}`] : [`--${name}=x`]);
  }
}

/** Whether the command takes `args`: its own flags, then the server options through loadConfig. */
function accepts(command: Accepting, args: string[]): boolean {
  try {
    const { rest } = parseCommandLine(args, command.flags, command);
    loadConfig(rest, {});
    return true;
  } catch (err) {
    if (err instanceof ConfigError) return false;
    throw err;
  }
}

test('the help of each command and subcommand lists exactly the options it accepts', () => {
  assert.ok(everyCommand.length > 20, 'every command and account subcommand is checked');
  for (const command of everyCommand) {
    const listed = documented(command.help);
    for (const [name, generic] of candidates) {
      const own = command.flags[name];
      const args = own === undefined ? generic : [flagKind(own) === 'boolean' ? `--${name}` : `--${name}=x`];
      const taken = accepts(command, args);
      assert.equal(
        listed.has(name),
        taken,
        `charthouse ${command.command}: --${name} ${taken ? 'accepted but not in its help' : 'in its help but refused'}`,
      );
    }
  }
});

test('a server option a command does not read is refused, naming the command', () => {
  const gc = everyCommand.find((command) => command.command === 'gc');
  assert.ok(gc);
  assert.throws(() => parseCommandLine(['--port', '9000'], gc.flags, gc), {
    message: '--port is not an option of charthouse gc (see: charthouse gc --help)',
  });
  assert.deepEqual(parseCommandLine(['--storage', '/s', '--json'], gc.flags, gc).rest, ['--storage', '/s']);
});

test("each account subcommand's usage line names exactly its flags", () => {
  for (const [group, subcommands] of Object.entries(adminGroups)) {
    for (const [name, sub] of Object.entries(subcommands)) {
      const inUsage = new Set([...sub.usage.matchAll(/--([a-z0-9-]+)/g)].map((m) => m[1]));
      assert.deepEqual([...inUsage].sort(), Object.keys(sub.flags ?? {}).sort(), `${group} ${name}`);
    }
  }
});

test('the general help names every command and every server option', () => {
  const help = renderHelp();
  for (const name of commandNames) assert.match(help, new RegExp(`^ {2}${name}\\b|\\|${name}\\|`, 'm'), name);
  for (const option of configOptions) assert.ok(documented(help).has(option.flag), option.flag);
  assert.equal(renderCommandHelp('frobnicate'), undefined);
  // an account group without a subcommand lists its subcommands
  assert.match(renderCommandHelp('token') ?? '', /token create USER NAME/);
});

test('command line forms: --flag=value, a boolean refusing a value, a forgotten value, a one-dash option', () => {
  const own: CommandFlags = { json: 'boolean', grace: 'value' };
  assert.deepEqual([...parseCommandLine(['--grace=2h'], own).flags], [['grace', '2h']]);
  assert.throws(() => parseCommandLine(['--json=false'], own), { message: '--json takes no value' });
  assert.throws(() => parseCommandLine(['--grace', '--json'], own), { message: 'missing value for --grace' });
  assert.throws(() => parseCommandLine(['--storage', '--json'], own), {
    message: 'missing value for --storage',
  });
  assert.deepEqual(parseCommandLine(['-storage', 'x'], own), {
    positionals: ['x'],
    flags: new Map(),
    rest: ['-storage'],
  });
  assert.throws(() => loadConfig(['-storage'], {}), {
    message: /^unknown option -storage \(did you mean --storage\?\)$/,
  });
  assert.equal(loadConfig(['--allow-overwrite=false'], {}).allowOverwrite, false);
  assert.equal(loadConfig(['--allow-overwrite', '--port', '1'], {}).allowOverwrite, true);
});

test('no import cycle runs through the configuration modules', () => {
  const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const imports = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(join(src, file), 'utf8');
    const targets = [...text.matchAll(/^(?:import|export)[^'";]*?from '(\.[^']+)\.js'/gm)].map((m) =>
      join(dirname(file), `${m[1]}.ts`),
    );
    imports.set(file, targets);
  }
  const configFiles = files.filter((file) => file.startsWith('config/'));
  assert.ok(configFiles.length >= 6);
  for (const start of configFiles) {
    // depth-first from the file: reaching it again is a cycle
    const seen = new Set<string>();
    const stack = [...(imports.get(start) ?? [])];
    while (stack.length > 0) {
      const file = stack.pop() ?? '';
      assert.notEqual(file, start, `${start} imports itself through a cycle`);
      if (seen.has(file)) continue;
      seen.add(file);
      stack.push(...(imports.get(file) ?? []));
    }
  }
});
