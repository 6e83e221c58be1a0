// Answers as plain data, so faults can decide how (and whether) they reach the socket.
export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: Buffer.from(JSON.stringify(value), 'utf8') };
}

/** The Web API's error body: `{"errors":[{"msg":"..."}]}`. */
export function errorResponse(status: number, message: string): FakeResponse {
  return jsonResponse(status, { errors: [{ msg: message }] });
}

export function emptyResponse(status: number): FakeResponse {
  return { status, headers: {}, body: Buffer.alloc(0) };
}

export function textResponse(status: number, text: string, contentType = 'text/plain'): FakeResponse {
  return { status, headers: { 'Content-Type': `${contentType};charset=utf-8` }, body: Buffer.from(text, 'utf8') };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page a SonarQube behind forced authentication or an SSO proxy shows instead of JSON. */
export function loginPage(contextPath: string): FakeResponse {
  return textResponse(
    200,
    `<!DOCTYPE html><html><head><title>SonarQube</title></head><body>` +
      `<form method="post" action="${escapeHtml(contextPath)}/api/authentication/login">` +
      `<h1>Log in to SonarQube</h1><input name="login"><input name="password" type="password"><button>Log in</button>` +
      `</form></body></html>`,
    'text/html',
  );
}

/** Thrown by handlers for the Web API's error answers. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** 401 for bad credentials carries no body at all. */
    readonly emptyBody = false,
  ) {
    super(message);
  }

  toResponse(): FakeResponse {
    return this.emptyBody ? emptyResponse(this.status) : errorResponse(this.status, this.message);
  }
}

export const badRequest = (message: string) => new ApiFailure(400, message);
export const authenticationRequired = () => new ApiFailure(401, 'Authentication is required');
export const insufficientPrivileges = () => new ApiFailure(403, 'Insufficient privileges');
export const notFound = (message: string) => new ApiFailure(404, message);
