/** A small cookie-keeping HTTP client, as a browser would be. */
export interface Browserish {
  cookies: Map<string, string>;
  csrf: string | null;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  cookieHeader(): string;
}

/** Make a cookie jar client for a server base URL. */
export function browserish(baseUrl: string): Browserish {
  const cookies = new Map<string, string>();
  const client: Browserish = {
    cookies,
    csrf: null,
    cookieHeader: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    async request(method, path, body, headers = {}) {
      const response = await fetch(new URL(path, baseUrl), {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(cookies.size ? { cookie: client.cookieHeader() } : {}),
          ...(client.csrf && method !== 'GET' ? { 'x-csrf-token': client.csrf } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      for (const set of response.headers.getSetCookie()) {
        const [pair] = set.split(';');
        const i = pair.indexOf('=');
        const value = pair.slice(i + 1);
        if (value) cookies.set(pair.slice(0, i), value);
        else cookies.delete(pair.slice(0, i));
      }
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: response.status, body: parsed };
    },
  };
  return client;
}

/** Redeem an invite token and keep the session and its CSRF token. */
export async function signIn(baseUrl: string, token: string): Promise<Browserish> {
  const b = browserish(baseUrl);
  const res = await b.request('POST', '/api/invites/redeem', { token });
  if (res.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(res.body)}`);
  b.csrf = res.body.csrfToken;
  return b;
}
