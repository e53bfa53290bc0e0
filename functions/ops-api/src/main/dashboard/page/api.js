// The ops API as the page calls it: the token kept in this tab's sessionStorage (gone when the tab closes), sent as a
// bearer token; a refusal becomes an ApiError carrying the problem document's title and detail.

const TOKEN_KEY = 'waybill.opsToken';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function keepToken(jwt) {
  sessionStorage.setItem(TOKEN_KEY, jwt);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** The token's claims, read without checking the signature (the API checks it): for display only. */
export function claimsOf(jwt) {
  const parts = jwt.split('.');
  if (parts.length !== 3) {
    throw new Error('not a JWT: it has ' + parts.length + ' parts, a JWT has 3');
  }
  const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
  const json = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return JSON.parse(json);
}

export class ApiError extends Error {
  constructor(status, problem, text) {
    const title = problem && (problem.title || problem.message);
    const detail = problem && problem.detail;
    super(title ? (detail ? title + ': ' + detail : title) : 'HTTP ' + status + (text ? ' ' + text : ''));
    this.status = status;
    this.problem = problem;
  }
}

/** One call; resolves to the JSON body, rejects with an ApiError. */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const jwt = token();
  if (jwt) {
    headers.Authorization = 'Bearer ' + jwt;
  }
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, json, json ? '' : text);
  }
  return json;
}
