// Loading configuration: YAML or JSON, ${ENV} references replaced from the environment, then validated by the one
// schema, with each error named by its path.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { invalid } from '../core/errors.ts';
import { issuesOf } from '../model/validate.ts';
import { HubConfig, type HubConfigInput } from './schema.ts';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces ${NAME} and ${NAME:-default} (default when unset or empty, as in a shell) in every string; a missing
 * variable without a default is an error. A value that is one whole reference takes the type its text reads as
 * in YAML, so `port: ${PORT:-8080}` is a number and `phi: ${BILLING_PHI}` a boolean.
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, path = ''): unknown {
  if (typeof value === 'string') {
    const whole = new RegExp(`^${REFERENCE.source}$`).test(value);
    const text = value.replace(REFERENCE, (_, name: string, fallback?: string) => {
      const v = env[name] === undefined || env[name] === '' ? fallback : env[name];
      if (v === undefined) throw invalid(`environment variable ${name} is not set`, [{ path: path || '/', message: `needs \${${name}}` }]);
      return v;
    });
    if (!whole) return text;
    const typed: unknown = parseYaml(text);
    return typeof typed === 'number' || typeof typed === 'boolean' ? typed : text;
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, `${path}/${i}`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEnv(v, env, `${path}/${k}`)]));
  }
  return value;
}

export function parseConfig(input: HubConfigInput | unknown, env: NodeJS.ProcessEnv = process.env): HubConfig {
  const result = HubConfig.safeParse(substituteEnv(input, env));
  if (!result.success) throw invalid('the configuration is invalid', issuesOf(result.error));
  return result.data;
}

export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): HubConfig {
  const text = readFileSync(file, 'utf8');
  const data: unknown = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  return parseConfig(data, env);
}
