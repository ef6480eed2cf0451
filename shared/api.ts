// The API contract: every procedure the renderer (or any client) can call, declared once with its input and
// output schemas and who may call it. The Electron IPC binding, the browser host's HTTP routes and the
// renderer's client are all derived from this object, so a procedure cannot exist in one host and not another.
import type { z } from 'zod';
import { authApi } from './api/auth.ts';
import { casesApi } from './api/cases.ts';
import { searchApi } from './api/search.ts';
import { intakeApi } from './api/intake.ts';
import { sourcesApi } from './api/sources.ts';
import { linksApi } from './api/links.ts';
import { assessmentApi } from './api/assessment.ts';
import { attachmentsApi } from './api/attachments.ts';
import { workbenchApi } from './api/workbench.ts';
import { watchApi } from './api/watch.ts';
import { accountApi } from './api/account.ts';
import { miApi } from './api/mi.ts';
import { resultsApi } from './api/results.ts';
import { syncApi } from './api/sync.ts';

export const api = {
  ...authApi,
  ...casesApi,
  ...searchApi,
  ...intakeApi,
  ...sourcesApi,
  ...linksApi,
  ...assessmentApi,
  ...attachmentsApi,
  ...workbenchApi,
  ...watchApi,
  ...accountApi,
  ...miApi,
  ...resultsApi,
  ...syncApi,
} as const;

export type Api = typeof api;
export type ProcedureName = keyof Api;
export type ApiInput<N extends ProcedureName> = z.input<Api[N]['input']>;
export type ApiParsedInput<N extends ProcedureName> = z.output<Api[N]['input']>;
export type ApiOutput<N extends ProcedureName> = z.output<Api[N]['output']>;

export const PROCEDURE_NAMES = Object.keys(api) as ProcedureName[];

export function isProcedureName(name: string): name is ProcedureName {
  return Object.prototype.hasOwnProperty.call(api, name);
}

export type { Access, Procedure } from './api/procedure.ts';
export { ApiError, type ApiFailure, type ApiResult } from './api/errors.ts';
export type { UserView } from './api/auth.ts';
export type { QueueBucket, QueueView } from './api/cases.ts';
export type { SearchHit } from './api/search.ts';
