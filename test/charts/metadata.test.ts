import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chartNameProblem, chartVersionProblem, parseChartYaml } from '../../src/charts/metadata.js';

const BASE = 'apiVersion: v2\nname: mychart\nversion: 0.1.0\n';

function parseWith(extra: string) {
  return parseChartYaml(`${BASE}${extra}`);
}

function rejects(text: string, pattern: RegExp): void {
  assert.throws(
    () => parseChartYaml(text),
    (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.match(err.message, pattern);
      return true;
    },
  );
}

describe('parseChartYaml: required fields', () => {
  test('a minimal Chart.yaml gives name, version and apiVersion only', () => {
    assert.deepEqual(parseChartYaml(BASE), { name: 'mychart', version: '0.1.0', apiVersion: 'v2' });
  });

  test('apiVersion defaults to v1 when missing', () => {
    assert.deepEqual(parseChartYaml('name: mychart\nversion: 0.1.0\n'), {
      name: 'mychart',
      version: '0.1.0',
      apiVersion: 'v1',
    });
  });

  test('apiVersion v1 is kept', () => {
    assert.equal(parseChartYaml('apiVersion: v1\nname: a\nversion: 1.0.0\n').apiVersion, 'v1');
  });

  test('apiVersion v3 is rejected', () => {
    rejects('apiVersion: v3\nname: mychart\nversion: 0.1.0\n', /apiVersion "v3" is not supported/);
  });

  test('a document that is not a mapping is rejected', () => {
    rejects('- name\n- version\n', /must be a YAML mapping/);
  });

  test('text that is not YAML is rejected', () => {
    rejects('name: [mychart\nversion: 0.1.0\n', /Chart\.yaml is not valid YAML/);
  });

  test('a missing name is rejected', () => {
    rejects('apiVersion: v2\nversion: 0.1.0\n', /name is required/);
  });

  test('an empty name is rejected as missing', () => {
    rejects('apiVersion: v2\nname: ""\nversion: 0.1.0\n', /name is required/);
  });

  test('a name that is not a string is rejected', () => {
    rejects('apiVersion: v2\nname: [a, b]\nversion: 0.1.0\n', /name must be a string/);
  });

  for (const name of ['.', '..', 'a/b', '../etc', 'a\\b', 'my chart']) {
    test(`the chart name ${JSON.stringify(name)} is rejected`, () => {
      rejects(
        `apiVersion: v2\nname: ${JSON.stringify(name)}\nversion: 0.1.0\n`,
        /chart name ".*" is invalid/,
      );
    });
  }

  test('a 10,000-character name is rejected as too long', () => {
    rejects(`apiVersion: v2\nname: ${'a'.repeat(10_000)}\nversion: 0.1.0\n`, /name is longer than 250/);
  });

  test('uppercase, dots, digits, underscores and dashes are allowed in a name', () => {
    assert.equal(parseChartYaml('name: My.Chart_2-x\nversion: 1.0.0\n').name, 'My.Chart_2-x');
  });

  test('a missing version is rejected', () => {
    rejects('apiVersion: v2\nname: mychart\n', /version is required/);
  });

  for (const version of ['1.2.3.4', 'release-1.61', 'latest', '1.0.0-01', '1.2.3-']) {
    test(`the version ${JSON.stringify(version)} is rejected`, () => {
      rejects(
        `apiVersion: v2\nname: mychart\nversion: ${JSON.stringify(version)}\n`,
        /chart version ".*" is not valid SemVer 2/,
      );
    });
  }

  test('a 10,000-character version is rejected as too long', () => {
    rejects(
      `apiVersion: v2\nname: mychart\nversion: 1.0.0-${'a'.repeat(10_000)}\n`,
      /version is longer than 128/,
    );
  });

  for (const version of ['v1.2.3', '1.0', '1', '1.2.3-rc.1+build.5']) {
    test(`the lenient version ${version} is accepted and kept as written`, () => {
      assert.equal(parseChartYaml(`name: mychart\nversion: ${version}\n`).version, version);
    });
  }

  test('version: 1.0 stays the string "1.0"', () => {
    const meta = parseChartYaml('name: mychart\nversion: 1.0\n');
    assert.equal(meta.version, '1.0');
  });

  test('appVersion: 1.10 stays the string "1.10"', () => {
    const meta = parseWith('appVersion: 1.10\n');
    assert.equal(meta.appVersion, '1.10');
  });
});

describe('parseChartYaml: optional fields', () => {
  test('type application and library are accepted', () => {
    assert.equal(parseWith('type: application\n').type, 'application');
    assert.equal(parseWith('type: library\n').type, 'library');
  });

  test('type foo is rejected', () => {
    rejects(`${BASE}type: foo\n`, /type must be application or library, not "foo"/);
  });

  test('unknown keys are dropped and the known ones kept', () => {
    const meta = parseWith(
      [
        'description: A web server',
        'home: https://example.com',
        'icon: https://example.com/icon.png',
        'sources: [https://github.com/example/web]',
        'keywords: [web, http]',
        'kubeVersion: ">=1.22.0"',
        'condition: web.enabled',
        'tags: frontend',
        'engine: gotpl',
        'checksum: abc',
        'foo: bar',
        'nested:',
        '  anything: goes',
        '',
      ].join('\n'),
    );
    assert.deepEqual(meta, {
      name: 'mychart',
      version: '0.1.0',
      apiVersion: 'v2',
      description: 'A web server',
      home: 'https://example.com',
      icon: 'https://example.com/icon.png',
      sources: ['https://github.com/example/web'],
      keywords: ['web', 'http'],
      kubeVersion: '>=1.22.0',
      condition: 'web.enabled',
      tags: 'frontend',
    });
  });

  test('keywords that are not a list are rejected', () => {
    rejects(`${BASE}keywords: database\n`, /keywords must be a list of strings/);
  });

  test('keywords holding a nested list are rejected', () => {
    rejects(`${BASE}keywords: [a, [b]]\n`, /keywords must be a list of strings/);
  });

  test('deprecated true and false are parsed as booleans', () => {
    assert.equal(parseWith('deprecated: true\n').deprecated, true);
    assert.equal(parseWith('deprecated: false\n').deprecated, false);
  });

  test('deprecated: maybe is rejected', () => {
    rejects(`${BASE}deprecated: maybe\n`, /deprecated must be true or false/);
  });

  test('annotations that are a map of strings are kept as strings', () => {
    const meta = parseWith(
      'annotations:\n  category: Database\n  artifacthub.io/license: Apache-2.0\n  n: 1.10\n',
    );
    assert.deepEqual(meta.annotations, {
      category: 'Database',
      'artifacthub.io/license': 'Apache-2.0',
      n: '1.10',
    });
  });

  test('annotations that are a list are rejected', () => {
    rejects(`${BASE}annotations: [a, b]\n`, /annotations must be a map of strings/);
  });

  test('an annotation whose value is a map is rejected', () => {
    rejects(`${BASE}annotations:\n  nested:\n    x: y\n`, /annotations\.nested must be a string/);
  });

  test('maintainers keep name, email and url only', () => {
    const meta = parseWith(
      [
        'maintainers:',
        '  - name: Alice',
        '    email: alice@example.com',
        '    url: https://alice.example.com',
        '    github: alice',
        '  - name: Bob',
        '',
      ].join('\n'),
    );
    assert.deepEqual(meta.maintainers, [
      { name: 'Alice', email: 'alice@example.com', url: 'https://alice.example.com' },
      { name: 'Bob' },
    ]);
  });

  test('a null maintainer entry is rejected', () => {
    rejects(`${BASE}maintainers:\n  -\n`, /each maintainer must be a map/);
  });

  test('maintainers that are not a list are rejected', () => {
    rejects(`${BASE}maintainers: Alice\n`, /maintainers must be a list/);
  });

  test('dependencies keep alias, condition, tags, enabled and import-values', () => {
    const meta = parseWith(
      [
        'dependencies:',
        '  - name: postgresql',
        '    version: ~12.1.0',
        '    repository: https://charts.example.com/stable',
        '    condition: postgresql.enabled',
        '    tags: [database, backend]',
        '    enabled: true',
        '    alias: db',
        '    import-values:',
        '      - data',
        '      - child: default.data',
        '        parent: myimports',
        '    unknown: dropped',
        '  - name: redis',
        '    version: 17.x.x',
        '',
      ].join('\n'),
    );
    assert.deepEqual(meta.dependencies, [
      {
        name: 'postgresql',
        version: '~12.1.0',
        repository: 'https://charts.example.com/stable',
        condition: 'postgresql.enabled',
        tags: ['database', 'backend'],
        enabled: true,
        'import-values': ['data', { child: 'default.data', parent: 'myimports' }],
        alias: 'db',
      },
      { name: 'redis', version: '17.x.x' },
    ]);
  });

  test('two dependencies with the same name are rejected', () => {
    rejects(
      `${BASE}dependencies:\n  - name: redis\n    version: 1.0.0\n  - name: redis\n    version: 2.0.0\n`,
      /more than one dependency is named "redis"/,
    );
  });

  test('a dependency alias equal to another dependency name is rejected', () => {
    rejects(
      `${BASE}dependencies:\n  - name: redis\n    alias: cache\n  - name: cache\n`,
      /more than one dependency is named "cache"/,
    );
  });

  test('the same dependency twice under different aliases is accepted', () => {
    const meta = parseWith('dependencies:\n  - name: redis\n    alias: a\n  - name: redis\n    alias: b\n');
    assert.deepEqual(meta.dependencies, [
      { name: 'redis', alias: 'a' },
      { name: 'redis', alias: 'b' },
    ]);
  });

  test('a dependency without a name is rejected', () => {
    rejects(`${BASE}dependencies:\n  - version: 1.0.0\n`, /dependency has no name/);
  });

  test('an invalid dependency alias is rejected', () => {
    rejects(`${BASE}dependencies:\n  - name: redis\n    alias: my.cache\n`, /alias "my\.cache" is invalid/);
  });
});

describe('parseChartYaml: hostile input', () => {
  test('a YAML alias bomb is rejected quickly as too large', () => {
    const letters = 'abcdefghi';
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < letters.length; i++) {
      const prev = letters[i - 1];
      lines.push(`${letters[i]}: &${letters[i]} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const text = `${BASE}${lines.join('\n')}\n`;
    const started = performance.now();
    rejects(text, /too large/);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 2000, `rejecting the alias bomb took ${Math.round(elapsed)} ms`);
  });

  test('a Chart.yaml holding a 200,000-item list is rejected as too large', () => {
    // The alias-bomb guard must hold for plain wide documents too (about 800 KB, under Helm's 5 MiB cap).
    const text = `${BASE}keywords:\n${Array(200_000).fill('- a').join('\n')}\n`;
    rejects(text, /too large/);
  });

  test('the python/object tag is rejected', () => {
    rejects(`${BASE}foo: !!python/object:os.system {}\n`, /not valid YAML: unknown tag/);
  });

  test('the js/function tag is rejected', () => {
    rejects(`${BASE}foo: !!js/function 'function () { return 1 }'\n`, /not valid YAML: unknown tag/);
  });

  test('a UTF-8 byte order mark is tolerated', () => {
    assert.deepEqual(parseChartYaml(`\uFEFF${BASE}`), {
      name: 'mychart',
      version: '0.1.0',
      apiVersion: 'v2',
    });
  });

  test('non-printable characters are dropped from strings, tabs kept', () => {
    const meta = parseWith(
      'description: "tab\\there\\u0007bell\\u0085nel\\u007fdel"\nmaintainers:\n  - name: "Al\\u0000ice"\n',
    );
    assert.equal(meta.description, 'tab\therebellneldel');
    assert.deepEqual(meta.maintainers, [{ name: 'Alice' }]);
  });
});

describe('chartNameProblem and chartVersionProblem', () => {
  test('a good name and version have no problem', () => {
    assert.equal(chartNameProblem('mychart'), undefined);
    assert.equal(chartVersionProblem('1.2.3'), undefined);
  });

  test('a 251-character name is too long and a 250-character one is not', () => {
    assert.match(chartNameProblem('a'.repeat(251)) ?? '', /longer than 250 characters/);
    assert.equal(chartNameProblem('a'.repeat(250)), undefined);
  });

  test('a name with a slash and a version with four parts each have a problem', () => {
    assert.match(chartNameProblem('a/b') ?? '', /chart name "a\/b" is invalid/);
    assert.match(chartVersionProblem('1.2.3.4') ?? '', /"1\.2\.3\.4" is not valid SemVer 2/);
  });
});
