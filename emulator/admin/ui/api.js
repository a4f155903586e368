// The admin API, as the page calls it: the admin token (from sessionStorage, never a URL) and the session header.
const BASE = new URL("..", document.baseURI); // the page lives at /_emulator/ui/, the API at /_emulator/
const TOKEN_KEY = "emulator.adminToken";
const SESSION_KEY = "emulator.session";

export class Unauthorized extends Error {}

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

export const settings = {
  get token() { return sessionStorage.getItem(TOKEN_KEY) || ""; },
  set token(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
  get session() { return sessionStorage.getItem(SESSION_KEY) || "default"; },
  set session(value) { sessionStorage.setItem(SESSION_KEY, value); },
};

/** Call one admin route; answer its JSON, or throw Unauthorized (401) or ApiError (any other failure). */
export async function call(method, path, { query, body, raw } = {}) {
  const url = new URL(path, BASE);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
  }
  const headers = { "X-Emulator-Session": settings.session };
  if (settings.token) headers.Authorization = `Bearer ${settings.token}`;
  const init = { method, headers, cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = raw ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    // fetch refuses header values outside Latin-1 before sending anything; say which one
    const cause = error instanceof TypeError && /header/i.test(error.message)
      ? "the token or session name has characters HTTP headers cannot carry" : "the emulator is not answering";
    throw new ApiError(cause, 0);
  }
  const data = await response.json().catch(() => null);
  if (response.status === 401) throw new Unauthorized(data?.error || "The admin token is needed.");
  if (!response.ok) throw new ApiError(data?.error || `${response.status} ${response.statusText}`, response.status);
  return data;
}
