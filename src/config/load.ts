// Loading configuration: YAML or JSON, ${ENV} references replaced from the environment, then validated by the one
// schema, with each error named by its path.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { invalid } from '../core/errors.ts';
import { issuesOf } from '../model/validate.ts';
import { HubConfig, type HubConfigInput } from './schema.ts';

/** Replaces ${NAME} and ${NAME:-default} in every string; a missing variable without a default is an error. */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => {
      const v = env[name] ?? fallback;
      if (v === undefined) throw invalid(`environment variable ${name} is not set`, [{ path: path || '/', message: `needs \${${name}}` }]);
      return v;
    });
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
  const names = result.data.destinations.map((d) => d.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw invalid('the configuration is invalid', [{ path: '/destinations', message: `destination ${twice} is declared twice` }]);
  return result.data;
}

export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): HubConfig {
  const text = readFileSync(file, 'utf8');
  const data: unknown = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  return parseConfig(data, env);
}
