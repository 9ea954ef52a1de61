// The shape of an API handler, shared by the per-area handler modules that api.ts composes.
// Each area of the contract (tickets, grids, AI, sync, coordination …) exports a factory that
// returns `HandlersFor<its methods>`; api.ts spreads them into one map checked against the contract.

import type { ApiMethod, ApiOutput, ApiParsedInput } from '../../../shared/api/contract';
import type { User } from '../../../shared/api/types';

export interface Call<M extends ApiMethod> {
  input: ApiParsedInput<M>;
  user: User;
  token: string;
  /** About the transport: the caller's address (login throttling); absent for in-process calls. */
  meta?: { client?: string };
}

export type HandlersFor<K extends ApiMethod> = { [M in K]: (c: Call<M>) => Promise<ApiOutput<M>> };
