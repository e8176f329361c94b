/** Selected as text: the json type would be parsed by the driver whether it is read or not. */
export const VERSION_COLUMNS = 'v.name, v.version, v.digest, v.size, v.created, v.metadata::text AS metadata';
export const PROVENANCE_COLUMNS = 'p.name, p.version, p.digest, p.size, p.created';
