import { z } from 'zod';

export const API_ERROR_CODES = [
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'unavailable',
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const apiFailure = z.object({
  code: z.enum(API_ERROR_CODES),
  message: z.string(),
  /** Field-level problems: path ("subjects.0.dob") -> message, so the form can show each at its field. */
  fields: z.record(z.string(), z.string()).optional(),
});
export type ApiFailure = z.infer<typeof apiFailure>;

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiFailure };

/** An error the caller is meant to read: thrown by the core, carried across the boundary as is. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly fields: Record<string, string> | undefined;
  constructor(code: ApiErrorCode, message: string, fields?: Record<string, string>) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.fields = fields;
  }
  toFailure(): ApiFailure {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }
}
