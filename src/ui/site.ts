/** Where the UI is served and how the browser reached it: every URL on a page comes from here. */
export interface Site {
  /** `http://host:port` as the request named it (Host header and protocol, or a trusted proxy's X-Forwarded-Host and -Proto) */
  origin: string;
  /** the Host header (or a trusted proxy's X-Forwarded-Host): `charts.example.com` or `127.0.0.1:8080` */
  host: string;
  contextPath: string;
  /** the JSON search API the script may call; undefined when --disable-api removed it */
  searchApi?: string;
  version: string;
  /** the registry is reached over plain HTTP (the request's protocol, or --chart-url's): OCI commands need --plain-http */
  plainHttp?: boolean;
  /** the signed-in user and their session's CSRF token; undefined for a visitor */
  account?: { user: string; csrf: string };
  /** offer "Sign in" in the header: access control is in force and nobody is signed in */
  signIn?: boolean;
  /** the theme the visitor chose with the toggle; undefined follows the system's */
  theme?: 'light' | 'dark';
}

export const uiPath = (site: Site, path = ''): string => `${site.contextPath}/ui/${path}`;

const repoPrefix = (repository: string) => (repository ? `${repository}/` : '');

export function chartPath(site: Site, repository: string, name: string, version?: string): string {
  const query = version === undefined ? '' : `?version=${encodeURIComponent(version)}`;
  return uiPath(site, `charts/${repoPrefix(repository)}${encodeURIComponent(name)}${query}`);
}

/** The chart list, optionally narrowed to one repository (`/` stands for the root one). */
export function chartsPath(site: Site, repository?: string): string {
  if (repository === undefined) return uiPath(site, 'charts');
  return `${uiPath(site, 'charts')}?repo=${encodeURIComponent(repository || '/')}`;
}

/** The URL `helm repo add` takes. */
export const repositoryUrl = (site: Site, repository: string): string =>
  `${site.origin}${site.contextPath}${repository ? `/${repository}` : ''}`;

export const packagePath = (site: Site, repository: string, file: string): string =>
  `${site.contextPath}/${repoPrefix(repository)}charts/${encodeURIComponent(file)}`;

/** The local name `helm repo add` gives a repository: its path with dashes, or "charthouse". */
export const helmRepoName = (repository: string): string =>
  repository ? repository.replaceAll('/', '-') : 'charthouse';

/** The OCI reference of a chart: the registry answers at the host root, under /v2. */
export const ociReference = (site: Site, repository: string, name: string): string =>
  `oci://${site.host}/${repoPrefix(repository)}${name}`;

/** The Helm flag an OCI command needs on this site: `--plain-http` over plain HTTP, else nothing. */
export const plainHttpFlag = (site: Site): string => (site.plainHttp ? ' --plain-http' : '');

/** The repository page: `/ui/repo` for the root repository, `/ui/repo/team` for `team`. */
export const repositoryPath = (site: Site, repository: string): string =>
  uiPath(site, `repo${repository ? `/${repository}` : ''}`);

export const repositoryLabel = (repository: string): string => repository || '(root)';
