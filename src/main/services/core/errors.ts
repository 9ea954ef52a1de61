// Errors that reach the user carry a stable code and a Chinese message; `detail` is for logs.

export class AppError extends Error {
  readonly code: string;
  readonly detail: string;
  readonly issues?: Array<{ path: string; message: string }>;
  /** Seconds after which a refused request may be tried again (HTTP Retry-After), when throttled. */
  readonly retryAfterS?: number;
  constructor(
    code: string,
    message: string,
    opts: { detail?: string; cause?: unknown; issues?: Array<{ path: string; message: string }>; retryAfterS?: number } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.detail = opts.detail ?? message;
    this.issues = opts.issues;
    this.retryAfterS = opts.retryAfterS;
  }
}

export const notFound = (what: string, id: string) =>
  new AppError('notFound', `${what}不存在`, { detail: `${what} ${id} not found` });
