import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ConfigError, configOptions, defaultConfig, loadConfig } from '../src/config/config.js';
import { renderHelp } from '../src/config/help.js';

const MiB = 1024 * 1024;

/** A readFile that serves `files` and fails like fs for anything else. */
function fakeFiles(files: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = files[path];
    if (text !== undefined) return text;
    throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
  };
}

function configError(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    assert.doesNotMatch(err.message, /\n/);
    return err.message;
  }
  assert.fail('expected a ConfigError');
}

test('defaults, and a frozen Config', () => {
  const config = loadConfig([], {});
  assert.equal(config.port, 8080);
  assert.equal(config.host, '0.0.0.0');
  assert.equal(config.storage, './storage');
  assert.equal(config.chartUrl, '');
  assert.equal(config.contextPath, '');
  assert.equal(config.maxUploadSize, 20 * MiB);
  assert.equal(config.maxDecompressedSize, 100 * MiB);
  assert.equal(config.maxFileSize, 5 * MiB);
  assert.equal(config.allowOverwrite, false);
  assert.equal(config.logLevel, 'info');
  assert.ok(Object.isFrozen(config));
  assert.deepEqual(config, defaultConfig());
  assert.equal(defaultConfig({ port: 0 }).port, 0);
});

test('the table names each Config key once, with the env name derived from the flag', () => {
  // Config is derived from the table, so a key set twice would shadow one option's parser.
  const tableKeys = configOptions.map((option) => option.key).filter((key) => key !== 'config');
  assert.equal(new Set(tableKeys).size, tableKeys.length);
  assert.deepEqual(tableKeys.toSorted(), Object.keys(defaultConfig()).sort());
  for (const option of configOptions) {
    assert.equal(option.env, `CHARTHOUSE_${option.flag.toUpperCase().replaceAll('-', '_')}`);
    assert.equal(
      option.key,
      option.flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()),
    );
  }
});

test('argv beats env beats the config file', () => {
  const readFile = fakeFiles({ '/c.yaml': 'port: 7000\nhost: file-host\nstorage: /file\n' });
  const env = { CHARTHOUSE_CONFIG: '/c.yaml', CHARTHOUSE_PORT: '7001', CHARTHOUSE_HOST: 'env-host' };
  const config = loadConfig(['--port', '7002'], env, readFile);
  assert.deepEqual([config.port, config.host, config.storage], [7002, 'env-host', '/file']);
  assert.equal(loadConfig(['--port=7003'], env, readFile).port, 7003);
  // --config on the command line beats CHARTHOUSE_CONFIG.
  const other = fakeFiles({ '/d.yaml': 'storage: /other\n' });
  assert.equal(
    loadConfig(['--config', '/d.yaml'], { CHARTHOUSE_CONFIG: '/c.yaml' }, other).storage,
    '/other',
  );
});

test('a bad port is one line naming --port', () => {
  const message = configError(() => loadConfig(['--port=abc'], {}));
  assert.equal(message, 'invalid value for --port: "abc" is not a port number (0-65535)');
  assert.match(
    configError(() => loadConfig(['--port', '65536'], {})),
    /--port/,
  );
  assert.match(
    configError(() => loadConfig([], { CHARTHOUSE_PORT: '-1' })),
    /--port \(from CHARTHOUSE_PORT\)/,
  );
  assert.match(
    configError(() => loadConfig(['--port'], {})),
    /missing value for --port/,
  );
});

test('sizes take a byte count or a unit', () => {
  const size = (raw: string) => loadConfig(['--max-upload-size', raw], {}).maxUploadSize;
  assert.equal(size('10MiB'), 10 * MiB);
  assert.equal(size('512k'), 512 * 1024);
  assert.equal(size('1000'), 1000);
  assert.equal(size('2mb'), 2_000_000);
  assert.equal(size('1GiB'), 1024 * MiB);
  assert.equal(size('1.5K'), 1536);
  const fromEnv = configError(() => loadConfig([], { CHARTHOUSE_MAX_UPLOAD_SIZE: 'lots' }));
  assert.match(fromEnv, /^invalid value for --max-upload-size \(from CHARTHOUSE_MAX_UPLOAD_SIZE\): "lots"/);
  assert.match(
    configError(() => loadConfig(['--max-file-size=0'], {})),
    /--max-file-size.*at least 1 byte/,
  );
  assert.match(
    configError(() => loadConfig(['--max-file-size=5TB'], {})),
    /--max-file-size/,
  );
});

test('booleans from a flag alone, flag=value, env and file', () => {
  assert.equal(loadConfig(['--allow-overwrite'], {}).allowOverwrite, true);
  assert.equal(
    loadConfig(['--allow-overwrite=false'], { CHARTHOUSE_ALLOW_OVERWRITE: 'yes' }).allowOverwrite,
    false,
  );
  assert.equal(loadConfig([], { CHARTHOUSE_DISABLE_API: '1' }).disableApi, true);
  assert.equal(loadConfig([], { CHARTHOUSE_DISABLE_API: 'No' }).disableApi, false);
  const readFile = fakeFiles({ 'c.yaml': 'disable-delete: true\ndisableForceOverwrite: yes\n' });
  const config = loadConfig(['--config=c.yaml'], {}, readFile);
  assert.deepEqual([config.disableDelete, config.disableForceOverwrite], [true, true]);
  // A boolean flag never takes the next argument as its value.
  assert.match(
    configError(() => loadConfig(['--disable-api', 'false'], {})),
    /unexpected argument "false"/,
  );
  assert.match(
    configError(() => loadConfig([], { CHARTHOUSE_DISABLE_API: 'maybe' })),
    /--disable-api/,
  );
});

test('the config file: missing, unknown keys, bad YAML, camelCase keys', () => {
  assert.equal(
    configError(() => loadConfig(['--config', '/x.yaml'], {}, fakeFiles({}))),
    'config file not found: /x.yaml',
  );
  const files = fakeFiles({
    'typo.yaml': 'prot: 9000\n',
    'bad.yaml': 'port: [\n',
    'list.yaml': '- port\n',
    'ok.yaml': 'max-upload-size: 10MiB\nmaxFileSize: 1MiB\ncontext-path: charts\n',
    'empty.yaml': '',
  });
  const typo = configError(() => loadConfig(['--config=typo.yaml'], {}, files));
  assert.match(typo, /unknown key "prot" in config file typo\.yaml/);
  assert.match(
    configError(() => loadConfig(['--config=bad.yaml'], {}, files)),
    /bad\.yaml is not valid YAML/,
  );
  assert.match(
    configError(() => loadConfig(['--config=list.yaml'], {}, files)),
    /must be a mapping/,
  );
  const config = loadConfig([], { CHARTHOUSE_CONFIG: 'ok.yaml' }, files);
  assert.deepEqual(
    [config.maxUploadSize, config.maxFileSize, config.contextPath],
    [10 * MiB, MiB, '/charts'],
  );
  assert.deepEqual(loadConfig(['--config=empty.yaml'], {}, files), defaultConfig());
  // An empty CHARTHOUSE_CONFIG (as copied from .env.example) names no file.
  assert.deepEqual(loadConfig([], { CHARTHOUSE_CONFIG: '' }, files), defaultConfig());
});

test('unknown flags and arguments', () => {
  assert.equal(
    configError(() => loadConfig(['--prot', '9000'], {})),
    'unknown option --prot (did you mean --port?)',
  );
  assert.match(
    configError(() => loadConfig(['--frobnicate'], {})),
    /^unknown option --frobnicate$/,
  );
  assert.match(
    configError(() => loadConfig(['-p', '1'], {})),
    /unknown option -p/,
  );
  assert.match(
    configError(() => loadConfig(['9000'], {})),
    /unexpected argument "9000"/,
  );
});

test('context path: a leading slash, no trailing one, URL path segments only', () => {
  const contextPath = (raw: string) => loadConfig(['--context-path', raw], {}).contextPath;
  assert.equal(contextPath('cm/'), '/cm');
  assert.equal(contextPath('/a/b/'), '/a/b');
  assert.equal(contextPath('/'), '');
  assert.equal(contextPath(''), '');
  for (const bad of ['a b', '../x', 'a?b', 'a#b', '%zz']) {
    assert.match(
      configError(() => contextPath(bad)),
      /^invalid value for --context-path/,
      bad,
    );
  }
});

test('chart url: absolute http(s), without its trailing slash', () => {
  const chartUrl = (raw: string) => loadConfig([`--chart-url=${raw}`], {}).chartUrl;
  assert.equal(chartUrl('https://charts.example.com/'), 'https://charts.example.com');
  assert.equal(chartUrl('http://127.0.0.1:8080/sub/'), 'http://127.0.0.1:8080/sub');
  assert.equal(chartUrl(''), '');
  for (const bad of ['charts.example.com', '/charts', 'ftp://example.com', 'https://x/?a=1', 'http://']) {
    assert.match(
      configError(() => chartUrl(bad)),
      /^invalid value for --chart-url/,
      bad,
    );
  }
});

test('log level and form field names', () => {
  assert.equal(loadConfig(['--log-level', 'DEBUG'], {}).logLevel, 'debug');
  assert.match(
    configError(() => loadConfig(['--log-level', 'loud'], {})),
    /--log-level.*one of fatal/,
  );
  assert.match(
    configError(() => loadConfig(['--prov-post-form-field-name', 'chart'], {})),
    /--prov-post-form/,
  );
  assert.match(
    configError(() => loadConfig(['--chart-post-form-field-name='], {})),
    /must not be empty/,
  );
});

test('renderHelp mentions every flag, its env var and its default', () => {
  const help = renderHelp();
  for (const option of configOptions) {
    assert.match(help, new RegExp(`--${option.flag}\\b`));
    assert.ok(help.includes(option.env), option.env);
    if (option.default) assert.ok(help.includes(`default: ${option.default}`), option.flag);
  }
});

test('.env.example lists exactly the table variables, with their defaults', () => {
  const text = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  const lines = [...text.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)];
  const listed = new Map(lines.map((m) => [m[1], m[2]]));
  // each once: a variable listed twice would show one default and hide the other
  assert.deepEqual(lines.map((m) => m[1]).sort(), configOptions.map((option) => option.env).sort());
  for (const option of configOptions) assert.equal(listed.get(option.env), option.default, option.env);
});

test('the README configuration table lists every flag with its variable and default', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  for (const option of configOptions) {
    const shownDefault = option.default ? ` \`${option.default}\` ` : ' ';
    const row = `| \`--${option.flag}\` | \`${option.env}\` |${shownDefault}|`;
    assert.ok(readme.includes(row), `README is missing the row ${row}`);
  }
});

test('--auth takes off, on or auto and refuses anything else with one line naming it', () => {
  assert.equal(loadConfig([], {}).auth, 'auto');
  assert.equal(loadConfig(['--auth', 'ON'], {}).auth, 'on');
  assert.equal(loadConfig([], { CHARTHOUSE_AUTH: 'off' }).auth, 'off');
  assert.throws(
    () => loadConfig(['--auth', 'maybe'], {}),
    /invalid value for --auth: "maybe" is not one of off, on, auto/,
  );
  assert.equal(loadConfig([], {}).anonymousRead, true);
  assert.equal(loadConfig(['--anonymous-read=false'], {}).anonymousRead, false);
});

test('--trust-proxy takes true, false, a hop count or a list of addresses and CIDRs', () => {
  const trustProxy = (raw: string) => loadConfig(['--trust-proxy', raw], {}).trustProxy;
  assert.equal(loadConfig([], {}).trustProxy, false);
  assert.equal(trustProxy('true'), true);
  assert.equal(trustProxy('Yes'), true);
  assert.equal(trustProxy('false'), false);
  assert.equal(trustProxy('0'), false, '0 hops: trust nobody');
  assert.equal(trustProxy('1'), 1, 'digits are a hop count, not a boolean');
  assert.equal(trustProxy(' 2 '), 2);
  assert.deepEqual(trustProxy('127.0.0.1,10.0.0.0/8'), ['127.0.0.1', '10.0.0.0/8']);
  assert.deepEqual(trustProxy(' 192.168.1.10 , fd00::/8, ::1 '), ['192.168.1.10', 'fd00::/8', '::1']);
  assert.deepEqual(trustProxy('Loopback,uniquelocal,linklocal'), ['loopback', 'uniquelocal', 'linklocal']);
  assert.deepEqual(trustProxy('::ffff:10.0.0.1, 10.1.0.0/32, 2001:db8::/128'), [
    '::ffff:10.0.0.1',
    '10.1.0.0/32',
    '2001:db8::/128',
  ]);
  assert.deepEqual(loadConfig([], { CHARTHOUSE_TRUST_PROXY: '10.0.0.0/8' }).trustProxy, ['10.0.0.0/8']);
  const files = fakeFiles({
    'count.yaml': 'trust-proxy: 1\n',
    'bool.yaml': 'trustProxy: true\n',
    'list.yaml': 'trust-proxy: 127.0.0.1, 10.0.0.0/8\n',
  });
  assert.equal(loadConfig(['--config=count.yaml'], {}, files).trustProxy, 1);
  assert.equal(loadConfig(['--config=bool.yaml'], {}, files).trustProxy, true);
  assert.deepEqual(loadConfig(['--config=list.yaml'], {}, files).trustProxy, ['127.0.0.1', '10.0.0.0/8']);
});

test('a bad --trust-proxy is one line naming the option and the entry at fault', () => {
  const refused = (raw: string) => configError(() => loadConfig([`--trust-proxy=${raw}`], {}));
  const forms =
    'is not true, false, a hop count or a comma-separated list of proxy addresses (e.g. 127.0.0.1,10.0.0.0/8)';
  for (const raw of ['maybe', 'on', '', ' ', '-1', '10.0.0.1,', ',10.0.0.1', '10.0.0.1,,::1']) {
    assert.equal(refused(raw), `invalid value for --trust-proxy: ${JSON.stringify(raw)} ${forms}`, raw);
  }
  assert.match(refused('true,10.0.0.1'), /"true,10\.0\.0\.1" has "true", which is not an IP address/);
  assert.match(refused('1.5'), /has "1\.5", which is not an IP address/);
  assert.equal(
    refused('127.0.0.1,proxy.internal'),
    'invalid value for --trust-proxy: "127.0.0.1,proxy.internal" has "proxy.internal", which is not an IP address, a CIDR range (10.0.0.0/8) or one of loopback, linklocal, uniquelocal',
  );
  assert.match(refused('10.0.0.0/33'), /has "10\.0\.0\.0\/33", whose prefix length is not 1-32/);
  assert.match(refused('0.0.0.0/0'), /prefix length is not 1-32 \(to trust every address, use true\)/);
  assert.match(refused('::/0'), /prefix length is not 1-128/);
  assert.match(refused('fd00::/129'), /prefix length is not 1-128/);
  assert.match(refused('10.0.0.0/255.0.0.0'), /prefix length is not 1-32/);
  assert.match(refused('10.0.0.0/'), /prefix length/);
  assert.match(refused('256.0.0.1'), /has "256\.0\.0\.1", which is not an IP address/);
  assert.match(refused('99999999999999999999'), /too large a hop count/);
  assert.match(
    configError(() => loadConfig([], { CHARTHOUSE_TRUST_PROXY: '10.0.0.0/40' })),
    /^invalid value for --trust-proxy \(from CHARTHOUSE_TRUST_PROXY\): "10\.0\.0\.0\/40"/,
  );
});
