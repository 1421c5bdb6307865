/** A refusal from the server: the status and its `{"error": {"code", "message"}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'flakery.inspector.token';

/**
 * Talks to the server the page came from. Holds the bearer token the user entered (kept in
 * sessionStorage, so a reload does not ask again, and closing the tab forgets it).
 */
export class Api {
  #token: string | undefined = sessionStorage.getItem(TOKEN_KEY) ?? undefined;

  setToken(token: string): void {
    this.#token = token;
    sessionStorage.setItem(TOKEN_KEY, token);
  }

  forgetToken(): void {
    this.#token = undefined;
    sessionStorage.removeItem(TOKEN_KEY);
  }

  async json<T>(path: string): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.#token !== undefined) headers.Authorization = `Bearer ${this.#token}`;
    const response = await fetch(path, { headers, cache: 'no-store' });
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ApiError(response.status, error?.code ?? 'ERR_HTTP', error?.message ?? `HTTP ${response.status}`);
    }
    return body as T;
  }
}
