/** RFC 9457 problem details from the platform, as a throwable error. */

export interface FieldError {
  loc?: (string | number)[];
  field?: string;
  msg?: string;
  message?: string;
}

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly detail: string | null;
  readonly fieldErrors: FieldError[];
  /** The problem's own extension members (e.g. `retry_after_seconds`). */
  readonly body: Record<string, unknown>;

  constructor(status: number, body: unknown) {
    const problem: ProblemBody = isObject(body) ? (body as ProblemBody) : {};
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = problem.code ?? null;
    this.detail = problem.detail ?? null;
    this.fieldErrors = Array.isArray(problem.errors) ? problem.errors : [];
    this.body = isObject(body) ? body : {};
  }

  /** The message of the first error on `field` (matched on the last `loc` element). */
  fieldMessage(field: string): string | null {
    for (const error of this.fieldErrors) {
      const name = error.field ?? error.loc?.[error.loc.length - 1];
      if (name === field) return error.msg ?? error.message ?? null;
    }
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Turn an openapi-fetch result into its data or a thrown ApiError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  throw new ApiError(result.response.status, result.error);
}
