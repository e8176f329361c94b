// The chart that installs Charthouse itself (deploy/charthouse): linted and rendered by both Helm
// majors, and the rendered objects checked (test/e2e/charthouse-chart.test.ts pushes and pulls it).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { loadConfig } from '../../src/config/config.js';
import { createHelm, type Helm, helmVersions } from '../support/helm.js';

const chartDir = fileURLToPath(new URL('../../deploy/charthouse', import.meta.url));
const scaleValues = join(chartDir, 'ci', 'scale-values.yaml');

interface K8sObject {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are checked field by field below
  spec?: any;
  data?: Record<string, string>;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

async function render(helm: Helm, args: string[] = []): Promise<K8sObject[]> {
  const out = await helm.run(['template', 'ch', chartDir, ...args]);
  return (yaml.loadAll(out.stdout) as Array<K8sObject | null>).filter((o): o is K8sObject => o !== null);
}

const kinds = (objects: K8sObject[]) => objects.map((o) => o.kind).sort();
const one = (objects: K8sObject[], kind: string) => {
  const found = objects.filter((o) => o.kind === kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0] as K8sObject;
};
const envOf = (container: { env: EnvVar[] }) => new Map(container.env.map((e) => [e.name, e]));

/** The plain variables as the server would read them, secrets replaced by what the Secret holds. */
function serverEnv(env: Map<string, EnvVar>, secrets: Record<string, string> = {}) {
  const plain: Record<string, string> = {};
  for (const [name, entry] of env) {
    const ref = entry.valueFrom?.secretKeyRef;
    plain[name] = ref ? (secrets[ref.key] ?? `<missing ${ref.key}>`) : (entry.value ?? '');
  }
  return plain;
}

for (const version of helmVersions) {
  test(`Helm ${version}: helm lint passes with the default and the scale values`, async (t) => {
    const helm = await createHelm(version, t);
    for (const args of [[], ['-f', scaleValues]]) {
      const out = await helm.run(['lint', chartDir, '--strict', ...args]);
      assert.match(out.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
    }
  });

  test(`Helm ${version}: the default renders one replica on a volume, probed, non-root and read-only`, async (t) => {
    const objects = await render(await createHelm(version, t));
    assert.deepEqual(kinds(objects), ['Deployment', 'PersistentVolumeClaim', 'Service', 'ServiceAccount']);
    const deployment = one(objects, 'Deployment').spec;
    assert.equal(deployment.replicas, 1);
    assert.equal(deployment.strategy.type, 'Recreate', 'never two pods on one SQLite volume');
    const pod = deployment.template.spec;
    assert.equal(pod.enableServiceLinks, false);
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.equal(pod.initContainers, undefined, 'no admin asked for, no init container');
    const [container] = pod.containers;
    assert.equal(container.startupProbe.httpGet.path, '/health');
    assert.equal(container.livenessProbe.httpGet.path, '/health');
    assert.equal(container.readinessProbe.httpGet.path, '/ready');
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
    assert.ok(container.resources.requests.memory && container.resources.limits.memory);
    assert.deepEqual(
      container.volumeMounts.map((m: { mountPath: string }) => m.mountPath).sort(),
      ['/data', '/tmp'],
      'the only writable places',
    );
    const volumes = Object.fromEntries(pod.volumes.map((v: { name: string }) => [v.name, v]));
    assert.deepEqual(volumes.tmp, { name: 'tmp', emptyDir: {} });
    assert.equal(
      volumes.data.persistentVolumeClaim.claimName,
      one(objects, 'PersistentVolumeClaim').metadata.name,
    );
    const env = envOf(container);
    assert.equal(env.get('CHARTHOUSE_STORAGE')?.value, '/data');
    assert.equal(env.has('CHARTHOUSE_DATABASE'), false);
    assert.equal(env.has('CHARTHOUSE_BLOB_STORE'), false);
    const config = loadConfig([], serverEnv(env));
    assert.equal(config.port, 8080);
    assert.equal(config.logFormat, 'json');
    assert.equal(config.metrics, true);
  });

  test(`Helm ${version}: the scale values render two replicas on PostgreSQL and S3, secrets from a Secret, no blob volume`, async (t) => {
    const objects = await render(await createHelm(version, t), ['-f', scaleValues]);
    assert.deepEqual(kinds(objects), ['Deployment', 'Secret', 'Service', 'ServiceAccount']);
    const secret = one(objects, 'Secret');
    const secrets = Object.fromEntries(
      Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]),
    );
    const values = yaml.load(await readFile(scaleValues, 'utf8')) as {
      database: { url: string };
      s3: { accessKeyId: string; secretAccessKey: string; bucket: string };
      admin: { password: string };
    };
    assert.deepEqual(secrets, {
      'database-url': values.database.url,
      's3-access-key-id': values.s3.accessKeyId,
      's3-secret-access-key': values.s3.secretAccessKey,
      'admin-password': values.admin.password,
    });
    const deployment = one(objects, 'Deployment').spec;
    assert.equal(deployment.replicas, 2);
    assert.equal(deployment.strategy.type, 'RollingUpdate');
    const pod = deployment.template.spec;
    const volumes = Object.fromEntries(pod.volumes.map((v: { name: string }) => [v.name, v]));
    assert.deepEqual(volumes.data, { name: 'data', emptyDir: {} }, 'scratch only: no volume for blobs');
    const [container] = pod.containers;
    const env = envOf(container);
    for (const name of ['CHARTHOUSE_DATABASE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
      assert.equal(
        env.get(name)?.valueFrom?.secretKeyRef.name,
        secret.metadata.name,
        `${name} from the Secret`,
      );
      assert.equal(env.get(name)?.value, undefined, `${name} is never written in the pod spec`);
    }
    const config = loadConfig([], serverEnv(env, secrets));
    assert.equal(config.database, values.database.url);
    assert.equal(config.blobStore, values.s3.bucket);
    assert.equal(config.s3ForcePathStyle, true);
    const [init] = pod.initContainers;
    assert.equal(init.name, 'first-admin');
    assert.match(init.command.join(' '), /user add "\$CHARTHOUSE_ADMIN_USER" --admin --password-stdin/);
    assert.equal(envOf(init).get('CHARTHOUSE_ADMIN_PASSWORD')?.valueFrom?.secretKeyRef.key, 'admin-password');
    assert.equal(envOf(init).get('CHARTHOUSE_DATABASE')?.valueFrom?.secretKeyRef.key, 'database-url');
    assert.ok(pod.template === undefined && deployment.template.metadata.annotations['checksum/secret']);
  });

  test(`Helm ${version}: existing Secrets, an Ingress, a ServiceMonitor and a context path`, async (t) => {
    const objects = await render(await createHelm(version, t), [
      '--set',
      'database.existingSecret=db,s3.bucket=s3://b/p,s3.existingSecret=s3,admin.existingSecret=adm',
      '--set',
      'ingress.enabled=true,metrics.serviceMonitor.enabled=true,config.contextPath=/charts-here',
    ]);
    assert.deepEqual(kinds(objects), [
      'Deployment',
      'Ingress',
      'Service',
      'ServiceAccount',
      'ServiceMonitor',
    ]);
    const pod = one(objects, 'Deployment').spec.template.spec;
    const env = envOf(pod.containers[0]);
    assert.equal(env.get('CHARTHOUSE_DATABASE')?.valueFrom?.secretKeyRef.name, 'db');
    assert.equal(env.get('AWS_SECRET_ACCESS_KEY')?.valueFrom?.secretKeyRef.name, 's3');
    assert.equal(
      envOf(pod.initContainers[0]).get('CHARTHOUSE_ADMIN_PASSWORD')?.valueFrom?.secretKeyRef.name,
      'adm',
    );
    assert.equal(pod.containers[0].readinessProbe.httpGet.path, '/charts-here/ready');
    assert.equal(one(objects, 'ServiceMonitor').spec.endpoints[0].path, '/charts-here/metrics');
    const ingress = one(objects, 'Ingress');
    assert.equal(
      ingress.spec.rules[0].http.paths[0].backend.service.name,
      one(objects, 'Service').metadata.name,
    );
    assert.equal(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-body-size'], '20m');
  });

  test(`Helm ${version}: more than one replica without PostgreSQL and S3 is refused`, async (t) => {
    const helm = await createHelm(version, t);
    const out = await helm.run(['template', 'ch', chartDir, '--set', 'replicaCount=2'], {
      allowFailure: true,
    });
    assert.notEqual(out.code, 0);
    assert.match(out.stderr, /replicaCount above 1 needs shared stores/);
  });
}

test("the first-admin init container's script adds the admin once, accepts it existing, and fails on anything else", async (t) => {
  const objects = await render(await createHelm('3', t), ['--set', 'admin.password=placeholder']);
  const [init] = one(objects, 'Deployment').spec.template.spec.initContainers;
  const [shell, flag, script] = init.command as string[];
  assert.deepEqual([shell, flag], ['sh', '-c']);
  const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
  const storage = await mkdtemp(join(tmpdir(), 'charthouse-init-'));
  t.after(() => rm(storage, { recursive: true, force: true }));
  const run = (password: string) =>
    new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        'sh',
        ['-c', (script ?? '').replaceAll('node dist/cli.js', `node --import tsx ${cli}`)],
        {
          env: {
            ...process.env,
            CHARTHOUSE_STORAGE: storage,
            CHARTHOUSE_ADMIN_USER: 'admin',
            CHARTHOUSE_ADMIN_PASSWORD: password,
          },
        },
        (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, output: stdout + stderr }),
      );
    });
  const first = await run('first-admin-password');
  assert.equal(first.code, 0, first.output);
  assert.match(first.output, /added server admin "admin"/);
  const again = await run('another-password');
  assert.equal(again.code, 0, `a restarted pod starts: ${again.output}`);
  await rm(storage, { recursive: true, force: true });
  const refused = await run('short');
  assert.equal(refused.code, 1, 'a password the server refuses stops the pod');
  assert.match(refused.output, /password/);
});
