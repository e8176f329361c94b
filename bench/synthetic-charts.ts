import { gzipTar } from './tar.js';

/**
 * Deterministic synthetic charts shaped like the ones public repositories hold: a Chart.yaml of
 * 0.7 to 1.4 KB (sources, keywords, maintainers, dependencies, a multi-line `images`
 * annotation as Artifact Hub reads it), a values.yaml, two templates and a README. The same seed
 * always gives the same bytes, so two runs build the same store. An index.yaml entry comes to about
 * 1.5 KB, as in large public repositories.
 */

const WORDS = [
  'redis',
  'postgres',
  'kafka',
  'nginx',
  'grafana',
  'loki',
  'vault',
  'keycloak',
  'minio',
  'airflow',
  'metrics',
  'gateway',
  'operator',
  'exporter',
  'ingress',
  'worker',
  'api',
  'frontend',
  'search',
  'queue',
];
const CATEGORIES = ['Database', 'Monitoring', 'Networking', 'Security', 'Storage', 'Streaming'];
const DEPENDENCIES = ['common', 'postgresql', 'redis', 'memcached', 'rabbitmq'];

/** A small, fast, seedable PRNG (mulberry32). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

/** `count` distinct chart names such as `kafka-exporter-0042`. */
export function chartNames(count: number): string[] {
  const rand = random(1);
  return Array.from(
    { length: count },
    (_, i) => `${pick(rand, WORDS)}-${pick(rand, WORDS)}-${String(i).padStart(4, '0')}`,
  );
}

/** `count` increasing SemVer versions of one chart, with an occasional release candidate. */
export function versionLine(chartIndex: number, count: number): string[] {
  const rand = random(1000 + chartIndex);
  let [major, minor, patch] = [Math.floor(rand() * 4), Math.floor(rand() * 10), 0];
  const out: string[] = [];
  while (out.length < count) {
    const step = rand();
    if (step < 0.05) [major, minor, patch] = [major + 1, 0, 0];
    else if (step < 0.3) [minor, patch] = [minor + 1, 0];
    else patch += 1;
    if (rand() < 0.08 && out.length < count - 1) out.push(`${major}.${minor}.${patch}-rc.1`);
    out.push(`${major}.${minor}.${patch}`);
  }
  return out.slice(0, count);
}

export function chartYaml(name: string, version: string, seed: number): string {
  const rand = random(seed);
  const keywords = Array.from({ length: 2 + Math.floor(rand() * 4) }, () => pick(rand, WORDS));
  const dependencies = Array.from({ length: Math.floor(rand() * 4) }, (_, i) => DEPENDENCIES[i] as string);
  const images = Array.from({ length: 1 + Math.floor(rand() * 2) }, (_, i) => {
    const image = i === 0 ? name : `${name}-${pick(rand, WORDS)}`;
    return `    - name: ${image}\n      image: registry.example.com/charts/${image}:${version}-debian-12-r${i}`;
  });
  const lines = [
    'apiVersion: v2',
    `name: ${name}`,
    `version: ${version}`,
    `appVersion: "${Math.floor(rand() * 20)}.${Math.floor(rand() * 30)}.${Math.floor(rand() * 10)}"`,
    `description: "${name} packaged for Kubernetes: a ${pick(rand, WORDS)} ${pick(rand, WORDS)} with sane defaults, metrics and optional high availability."`,
    'type: application',
    `home: https://charts.example.com/${name}`,
    `icon: https://charts.example.com/icons/${name}.svg`,
    'kubeVersion: ">=1.23.0-0"',
    'sources:',
    `  - https://github.com/example/charts/tree/main/${name}`,
    `  - https://github.com/example/${name}`,
    'keywords:',
    ...keywords.map((k) => `  - ${k}`),
    'maintainers:',
    '  - name: Platform Team',
    '    email: platform@example.com',
    '    url: https://example.com/platform',
    ...(dependencies.length > 0 ? ['dependencies:'] : []),
    ...dependencies.flatMap((dep) => [
      `  - name: ${dep}`,
      `    version: ${1 + Math.floor(rand() * 15)}.x.x`,
      '    repository: oci://registry.example.com/charts',
      ...(dep === 'common' ? ['    tags:', '      - example-common'] : [`    condition: ${dep}.enabled`]),
    ]),
    'annotations:',
    `  category: ${pick(rand, CATEGORIES)}`,
    '  licenses: Apache-2.0',
    '  images: |',
    ...images,
  ];
  return `${lines.join('\n')}\n`;
}

const VALUES = `replicaCount: 1
image:
  registry: registry.example.com
  repository: charts/app
  tag: ""
  pullPolicy: IfNotPresent
service:
  type: ClusterIP
  port: 80
resources:
  limits: { cpu: 500m, memory: 512Mi }
  requests: { cpu: 100m, memory: 128Mi }
metrics:
  enabled: false
  serviceMonitor: { enabled: false, interval: 30s }
persistence:
  enabled: true
  size: 8Gi
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  labels: {{- include "app.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels: {{- include "app.selectorLabels" . | nindent 6 }}
  template:
    spec:
      containers:
        - name: app
          image: "{{ .Values.image.registry }}/{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          ports:
            - containerPort: 8080
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: {{ include "app.fullname" . }}
spec:
  type: {{ .Values.service.type }}
  ports:
    - port: {{ .Values.service.port }}
      targetPort: 8080
`;

/** The package (.tgz) of one synthetic chart version, as `helm package` would lay it out. */
export function chartPackage(name: string, version: string, seed: number): Buffer {
  return gzipTar(
    [
      { name: `${name}/Chart.yaml`, body: chartYaml(name, version, seed) },
      { name: `${name}/values.yaml`, body: VALUES },
      { name: `${name}/templates/deployment.yaml`, body: DEPLOYMENT },
      { name: `${name}/templates/service.yaml`, body: SERVICE },
      {
        name: `${name}/README.md`,
        body: `# ${name}\n\nVersion ${version}. Install with \`helm install\`.\n`,
      },
    ],
    1_700_000_000 + seed,
  );
}
