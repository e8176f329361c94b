import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const root = fileURLToPath(new URL('..', import.meta.url));

test('docker-compose accepts docker-compose.yml', () => {
  const result = spawnSync('docker-compose', ['config', '-q'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  // A missing tool fails the test rather than skipping it: CI must validate the file.
  assert.ok(
    !result.error,
    `cannot run docker-compose (${result.error?.message}): .ci/run installs it (Debian package docker-compose)`,
  );
  assert.equal(result.status, 0, result.stderr);
});

interface ComposeFile {
  services?: Record<string, { volumes?: unknown[] }>;
  volumes?: Record<string, unknown>;
}

/** `name:/path[:mode]` or the long syntax, as [source, target]. */
function volumeMount(entry: unknown): [string, string] | undefined {
  if (typeof entry === 'string') {
    const [source = '', target = ''] = entry.split(':');
    return [source, target];
  }
  if (entry && typeof entry === 'object' && 'source' in entry && 'target' in entry) {
    return [String(entry.source), String(entry.target)];
  }
  return undefined;
}

test('the service keeps CHARTHOUSE_STORAGE of the Dockerfile on a named volume', () => {
  const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
  // The runtime stage is the last one: its ENV decides where the data goes.
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const storage = /CHARTHOUSE_STORAGE=(\S+)/.exec(runtime)?.[1];
  assert.ok(storage, 'the runtime stage of the Dockerfile sets CHARTHOUSE_STORAGE');
  assert.match(runtime, new RegExp(`^VOLUME \\[?"?${storage}"?\\]?$`, 'm'));

  const compose = yaml.load(
    readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8'),
  ) as ComposeFile;
  const service = compose.services?.charthouse;
  assert.ok(service, 'docker-compose.yml has the service charthouse');
  const mounts = (service.volumes ?? []).map(volumeMount);
  const mount = mounts.find((entry) => entry?.[1] === storage);
  assert.ok(mount, `the service mounts a volume on ${storage}`);
  assert.ok(mount[0] in (compose.volumes ?? {}), `${mount[0]} is a named volume declared under volumes:`);
  assert.equal(mount[0], 'charthouse-data');
});

interface ScaleService {
  image?: string;
  build?: unknown;
  profiles?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: unknown };
  ports?: string[];
  volumes?: string[];
}

const composeText = () => readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8');
const scaleServices = () => (yaml.load(composeText()) as { services: Record<string, ScaleService> }).services;
const replicas = ['charthouse-1', 'charthouse-2'];
const nginxConfigPath = fileURLToPath(new URL('../deploy/nginx-scale.conf', import.meta.url));

test('docker-compose accepts docker-compose.yml with the scale profile', () => {
  const result = spawnSync(
    'docker-compose',
    ['-f', 'docker-compose.yml', '--profile', 'scale', 'config', '-q'],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  assert.ok(!result.error, `cannot run docker-compose (${result.error?.message})`);
  assert.equal(result.status, 0, result.stderr);
});

test('a plain `docker compose up` starts only the single server; everything else is in the scale profile', () => {
  const services = scaleServices();
  assert.equal(services.charthouse?.profiles, undefined, 'the single server has no profile');
  const scale = ['postgres', 'minio', 'minio-bucket', ...replicas, 'nginx'];
  assert.deepEqual(Object.keys(services).sort(), ['charthouse', ...scale].sort());
  for (const name of scale)
    assert.deepEqual(services[name]?.profiles, ['scale'], `${name} is in the scale profile`);
});

test('the replicas run the single server image on one database and one bucket, once both are ready', () => {
  const services = scaleServices();
  const environments = replicas.map((name) => {
    const replica = services[name];
    assert.ok(replica, `${name} exists`);
    assert.equal(replica.image, services.charthouse?.image, `${name} runs the same image`);
    assert.ok(replica.healthcheck?.test, `${name} has a healthcheck`);
    assert.equal(replica.depends_on?.postgres?.condition, 'service_healthy');
    assert.equal(replica.depends_on?.['minio-bucket']?.condition, 'service_completed_successfully');
    return replica.environment ?? {};
  });
  const [first, second] = environments;
  assert.deepEqual(first, second, 'both replicas are configured alike');
  const env = first ?? {};
  const postgres = services.postgres?.environment ?? {};
  assert.equal(
    env.CHARTHOUSE_DATABASE,
    `postgres://${postgres.POSTGRES_USER}:${postgres.POSTGRES_PASSWORD}@postgres:5432/${postgres.POSTGRES_DB}`,
  );
  assert.equal(env.CHARTHOUSE_BLOB_STORE, 's3://charts/');
  assert.equal(env.CHARTHOUSE_S3_ENDPOINT, 'http://minio:9000');
  assert.equal(env.CHARTHOUSE_S3_FORCE_PATH_STYLE, 'true');
  const minio = services.minio?.environment ?? {};
  assert.equal(env.AWS_ACCESS_KEY_ID, minio.MINIO_ROOT_USER);
  assert.equal(env.AWS_SECRET_ACCESS_KEY, minio.MINIO_ROOT_PASSWORD);
  // the bucket the replicas name is the one the init container creates
  assert.match(JSON.stringify(services['minio-bucket']), /mc mb --ignore-existing local\/charts\b/);
  assert.ok(services.postgres?.image?.startsWith('postgres:15'), 'PostgreSQL 15');
  assert.ok(services.postgres?.healthcheck?.test, 'postgres has a healthcheck');
  assert.ok(services.minio?.healthcheck?.test, 'minio has a healthcheck');
});

test('nginx balances over both replicas, once healthy, with its configuration mounted', () => {
  const nginx = scaleServices().nginx;
  assert.ok(nginx, 'the nginx service exists');
  for (const name of replicas) assert.equal(nginx.depends_on?.[name]?.condition, 'service_healthy');
  assert.ok(
    nginx.volumes?.includes('./deploy/nginx-scale.conf:/etc/nginx/nginx.conf:ro'),
    'deploy/nginx-scale.conf is mounted as nginx.conf',
  );
  assert.ok(
    !nginx.ports?.some((port) => port.startsWith('8080:')),
    'the load balancer does not take port 8080 from the single server',
  );

  const conf = readFileSync(nginxConfigPath, 'utf8').replace(/#.*$/gm, '');
  const upstream = /upstream\s+(\S+)\s*\{([^}]*)\}/.exec(conf);
  assert.ok(upstream, 'an upstream block');
  const servers = [...(upstream[2] ?? '').matchAll(/^\s*server\s+(\S+)/gm)].map((m) => m[1]);
  assert.deepEqual(
    servers,
    replicas.map((name) => `${name}:8080`),
  );
  assert.doesNotMatch(upstream[2] ?? '', /\b(ip_hash|hash|least_conn|sticky)\b/, 'plain round robin');
  assert.match(conf, new RegExp(`proxy_pass\\s+http://${upstream[1]};`));
  const bodyLimit = /client_max_body_size\s+(\S+);/.exec(conf)?.[1];
  assert.ok(bodyLimit === '0' || /^[0-9]+[gG]$/.test(bodyLimit ?? ''), `client_max_body_size ${bodyLimit}`);
  assert.match(conf, /proxy_request_buffering\s+off;/);
  for (const header of ['Host', 'X-Forwarded-For', 'X-Forwarded-Proto', 'X-Forwarded-Host']) {
    assert.match(conf, new RegExp(`proxy_set_header\\s+${header}\\s`), `passes ${header}`);
  }
  // the replicas believe X-Forwarded-* from exactly that one hop
  for (const name of replicas) assert.equal(scaleServices()[name]?.environment?.CHARTHOUSE_TRUST_PROXY, '1');
});

test('nginx -t accepts deploy/nginx-scale.conf', (t) => {
  // like docker-compose above: a missing nginx fails the test (.ci/run installs nginx-light)
  const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));
  assert.ok(nginx, 'nginx is not installed: apt-get install nginx-light (.ci/run does)');
  // The replicas' names resolve only inside compose and nginx resolves upstreams at start, so the
  // copy points them at 127.0.0.1; its log, temporary paths and pid go to the test's own directory.
  const dir = mkdtempSync(join(tmpdir(), 'charthouse-nginx-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const original = readFileSync(nginxConfigPath, 'utf8');
  const local = original
    .replace(/\bcharthouse-[12]:8080\b/g, '127.0.0.1:8080')
    .replace(/^(\s*access_log\s+)\S+;/m, `$1${dir}/access.log;`)
    .replace(
      /^http \{$/m,
      [
        'http {',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((p) => `  ${p}_temp_path ${dir}/${p};`),
      ].join('\n'),
    );
  assert.notEqual(local, original, 'the copy was adapted');
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, local);
  const result = spawnSync(
    nginx,
    ['-t', '-p', dir, '-c', file, '-e', join(dir, 'error.log'), '-g', `pid ${dir}/nginx.pid;`],
    {
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /test is successful/);
});
