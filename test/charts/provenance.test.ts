import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseProvenance } from '../../src/charts/provenance.js';

const DIGEST = '8e4b0f2c1d3a5b6c7d8e9f00112233445566778899aabbccddeeff0011223344';
const SIGNATURE = [
  '-----BEGIN PGP SIGNATURE-----',
  '',
  'wsBcBAEBCgAQBQJmMjQ1CRA7Zy9hQ3lL4wAAyUgIAKc2E8d0M5X3Zl1lD1pK0hQ2',
  '=abcd',
  '-----END PGP SIGNATURE-----',
  '',
].join('\n');

const CHART_YAML = [
  'apiVersion: v2',
  'description: A Helm chart for Kubernetes',
  'maintainers:',
  '- email: alice@example.com',
  '  name: alice',
  'name: mychart',
  'version: 0.1.0',
  '',
].join('\n');

/** Clear-signs the way OpenPGP does: lines that start with a dash are escaped with "- ". */
function dashEscape(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.startsWith('-') ? `- ${line}` : line))
    .join('\n');
}

interface ProvOptions {
  chartYaml?: string;
  files?: string;
  header?: string;
  signature?: string;
}

/** A provenance file shaped like `helm package --sign` output (helm/helm pkg/provenance/sign.go). */
function makeProvenance(options: ProvOptions = {}): string {
  const body = `${options.chartYaml ?? CHART_YAML}\n...\n${options.files ?? `files:\n  mychart-0.1.0.tgz: sha256:${DIGEST}\n`}`;
  const header = options.header ?? '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n';
  return `${header}${dashEscape(body)}${options.signature ?? SIGNATURE}`;
}

function rejects(text: string, pattern: RegExp): void {
  assert.throws(
    () => parseProvenance(text),
    (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.match(err.message, pattern);
      return true;
    },
  );
}

describe('parseProvenance', () => {
  test('a provenance file gives the chart name, version and file digests', () => {
    assert.deepEqual(parseProvenance(makeProvenance()), {
      name: 'mychart',
      version: '0.1.0',
      files: { 'mychart-0.1.0.tgz': DIGEST },
    });
  });

  test('the fixture escapes the dash lines of the maintainers list, as a signer does', () => {
    assert.match(makeProvenance(), /^- - email: alice@example\.com$/m);
  });

  test('an indented name under maintainers does not stand in for the chart name', () => {
    const chartYaml = [
      'apiVersion: v2',
      'maintainers:',
      '- name: alice',
      '  email: alice@example.com',
      '-   name: bob',
      'name: realchart',
      'version: 2.3.4',
      '',
    ].join('\n');
    const parsed = parseProvenance(
      makeProvenance({ chartYaml, files: `files:\n  realchart-2.3.4.tgz: sha256:${DIGEST}\n` }),
    );
    assert.equal(parsed.name, 'realchart');
    assert.equal(parsed.version, '2.3.4');
  });

  test('a chart with only a maintainer name has no chart name', () => {
    const chartYaml = 'apiVersion: v2\nmaintainers:\n  - name: alice\nversion: 0.1.0\n';
    rejects(makeProvenance({ chartYaml }), /names no chart$/);
  });

  test('an uppercase digest is lowercased and an entry that is not sha256 is skipped', () => {
    const files = [
      'files:',
      `  mychart-0.1.0.tgz: sha256:${DIGEST.toUpperCase()}`,
      '  other.tgz: md5:0123456789abcdef',
      '  short.tgz: sha256:abc',
      '',
    ].join('\n');
    assert.deepEqual(parseProvenance(makeProvenance({ files })).files, { 'mychart-0.1.0.tgz': DIGEST });
  });

  test('a provenance file without a files section gives no digests', () => {
    assert.deepEqual(parseProvenance(makeProvenance({ files: '' })).files, {});
  });

  test('a missing PGP header is rejected', () => {
    rejects(makeProvenance({ header: '' }), /not a provenance file: it must be a PGP clear-signed message/);
  });

  test('a plain Chart.yaml is rejected as not a provenance file', () => {
    rejects(CHART_YAML, /not a provenance file/);
  });

  test('a missing signature block is rejected', () => {
    rejects(makeProvenance({ signature: '' }), /no PGP signature block/);
  });

  test('a signature block without its end line is rejected', () => {
    rejects(
      makeProvenance({ signature: '-----BEGIN PGP SIGNATURE-----\n\nwsBcBAEBCgAQ\n' }),
      /no PGP signature block/,
    );
  });

  test('a missing chart name is rejected', () => {
    rejects(makeProvenance({ chartYaml: 'apiVersion: v2\nversion: 0.1.0\n' }), /names no chart$/);
  });

  test('a missing chart version is rejected', () => {
    rejects(makeProvenance({ chartYaml: 'apiVersion: v2\nname: mychart\n' }), /names no chart version/);
  });

  test('a chart name with ../ is rejected', () => {
    rejects(
      makeProvenance({ chartYaml: 'apiVersion: v2\nname: ../../etc/passwd\nversion: 0.1.0\n' }),
      /chart name "\.\.\/\.\.\/etc\/passwd" is invalid/,
    );
  });

  test('a chart name of .. is rejected', () => {
    rejects(makeProvenance({ chartYaml: 'name: ..\nversion: 0.1.0\n' }), /chart name "\.\." is invalid/);
  });

  test('a chart version that is not SemVer is rejected', () => {
    rejects(
      makeProvenance({ chartYaml: 'name: mychart\nversion: release-1.61\n' }),
      /chart version "release-1\.61" is not valid SemVer 2/,
    );
  });

  test('a signed body that is not YAML is rejected', () => {
    rejects(makeProvenance({ chartYaml: 'name: [mychart\nversion: 0.1.0\n' }), /not valid YAML/);
  });

  test('CRLF line endings are accepted', () => {
    const crlf = makeProvenance().replace(/\n/g, '\r\n');
    assert.ok(crlf.includes('\r\n'));
    assert.deepEqual(parseProvenance(crlf), {
      name: 'mychart',
      version: '0.1.0',
      files: { 'mychart-0.1.0.tgz': DIGEST },
    });
  });

  test('a UTF-8 byte order mark is tolerated', () => {
    assert.equal(parseProvenance(`\uFEFF${makeProvenance()}`).name, 'mychart');
  });
});
