// The chart that installs Charthouse itself (deploy/charthouse), packaged by each Helm major,
// pushed to Charthouse over OCI and pulled back over OCI and the classic repository layout.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createHelm, helmVersions } from '../support/helm.js';
import { startTestServer } from '../support/listen.js';

const chartDir = fileURLToPath(new URL('../../deploy/charthouse', import.meta.url));

test('the packaged chart is pushed to Charthouse and pulled back, byte for byte, by Helm 3 and Helm 4', async (t) => {
  const server = await startTestServer(t);
  const work = await mkdtemp(join(tmpdir(), 'charthouse-chart-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const host = new URL(server.url).host;
  for (const version of helmVersions) {
    const helm = await createHelm(version, t);
    const dir = join(work, `helm${version}`);
    await Promise.all(['oci', 'classic'].map((d) => mkdir(join(dir, d), { recursive: true })));
    await helm.run(['package', chartDir, '-d', join(dir, 'pkg')]);
    const [file] = await readdir(join(dir, 'pkg'));
    assert.equal(file, 'charthouse-0.1.0.tgz');
    const packaged = await readFile(join(dir, 'pkg', file));
    const digest = createHash('sha256').update(packaged).digest('hex');
    // Helm 3 and 4 package different bytes: each goes to a repository of its own
    const repository = `helm${version}`;
    await helm.run(['push', join(dir, 'pkg', file), `oci://${host}/${repository}`, '--plain-http']);
    await helm.run([
      'pull',
      `oci://${host}/${repository}/charthouse`,
      '--version',
      '0.1.0',
      '--plain-http',
      '-d',
      join(dir, 'oci'),
    ]);
    assert.equal(
      createHash('sha256')
        .update(await readFile(join(dir, 'oci', file)))
        .digest('hex'),
      digest,
    );
    await helm.run(['repo', 'add', repository, `${server.url}/${repository}`]);
    await helm.run(['pull', `${repository}/charthouse`, '--version', '0.1.0', '-d', join(dir, 'classic')]);
    assert.equal(
      createHash('sha256')
        .update(await readFile(join(dir, 'classic', file)))
        .digest('hex'),
      digest,
    );
    const rendered = await helm.run(['template', 'ch', join(dir, 'classic', file)]);
    assert.match(rendered.stdout, /kind: Deployment/, 'the pulled chart still renders');
  }
});
