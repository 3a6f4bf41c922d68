// A small JSON client for the simulators' tests (real sockets, global fetch).

export type Answer = { status: number; body: any; headers: Headers };

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; key?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.key !== undefined) headers['idempotency-key'] = options.key;
  const res = await fetch(new URL(path, baseUrl), {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text), headers: res.headers };
}

export const get = (baseUrl: string, path: string): Promise<Answer> => call(baseUrl, 'GET', path);

export const post = (baseUrl: string, path: string, body: unknown, key?: string): Promise<Answer> =>
  call(baseUrl, 'POST', path, { body, key });

export async function ledger(baseUrl: string, since = 0): Promise<any[]> {
  return (await get(baseUrl, `/_sim/ledger?since=${since}`)).body.entries;
}
