import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Holds HTTP answers to the OpenAPI document the server serves: each answer must be a documented
 * status of a documented operation, with a documented content type, and a JSON body must match
 * the declared schema. Records which operations were exercised, so a test can require them all.
 */
type Operation = {
  responses?: Record<string, { content?: Record<string, { schema?: object }> }>;
};
type PathItem = Record<string, Operation | unknown>;
export interface OpenApiDocument {
  paths: Record<string, PathItem>;
}

export interface Answer {
  method: string;
  /** the request path, without the query */
  path: string;
  status: number;
  contentType: string | undefined;
  body: unknown;
  /** the raw text, to tell an empty answer */
  text: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export function createContract(document: OpenApiDocument) {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  const compiled = new Map<object, ValidateFunction>();
  const templates = Object.keys(document.paths)
    .map((template) => ({
      template,
      // an OCI name holds slashes; every other parameter is one segment
      pattern: new RegExp(
        `^${template
          .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
          .replace(/\{name\}/g, template.startsWith('/v2/') ? '.+' : '[^/]+')
          .replace(/\{[^}]+\}/g, '[^/]+')}$`,
      ),
      literal: template.replace(/\{[^}]+\}/g, '').length,
    }))
    .sort((a, b) => b.literal - a.literal);
  const exercised = new Set<string>();

  function operationOf(method: string, path: string) {
    const m = method === 'HEAD' ? 'get' : method.toLowerCase();
    for (const { template, pattern } of templates) {
      const operation = document.paths[template]?.[m] as Operation | undefined;
      if (pattern.test(path) && operation) return { key: `${m.toUpperCase()} ${template}`, operation };
    }
    return undefined;
  }

  return {
    /** Throws with what is wrong when the answer is not the document's. */
    check(answer: Answer): void {
      const where = `${answer.method} ${answer.path} → ${answer.status}`;
      const found = operationOf(answer.method, answer.path);
      if (!found) throw new Error(`${where}: no such operation in the document`);
      exercised.add(found.key);
      const response = found.operation.responses?.[String(answer.status)];
      if (!response) throw new Error(`${where}: status not documented for ${found.key}`);
      if (answer.method === 'HEAD' || answer.status === 304) return;
      if (!response.content) {
        if (answer.text !== '')
          throw new Error(`${where}: documented without a body, got ${answer.text.slice(0, 80)}`);
        return;
      }
      const type = (answer.contentType ?? '').split(';')[0]?.trim() ?? '';
      const media = response.content[type];
      if (!media) {
        throw new Error(
          `${where}: content type ${type} is not one of ${Object.keys(response.content).join(', ')}`,
        );
      }
      if (!media.schema || !/json/.test(type)) return;
      let validate = compiled.get(media.schema);
      if (!validate) {
        validate = ajv.compile(media.schema);
        compiled.set(media.schema, validate);
      }
      if (!validate(answer.body)) {
        throw new Error(
          `${where}: the body breaks the schema: ${ajv.errorsText(validate.errors)}\n${answer.text.slice(0, 400)}`,
        );
      }
    },
    /** Operations of the document no answer went through. */
    unexercised(): string[] {
      const all = Object.entries(document.paths).flatMap(([template, item]) =>
        METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${template}`),
      );
      return all.filter((key) => !exercised.has(key));
    },
  };
}
