// Human ticket codes: PREFIX-YYYYMMDD-NNNN (CST date of creation, sequence within the day).
// Tickets are identified by UUIDv7; the code is for people on the phone.

import { cstDate } from './calendar';

export function ticketCode(prefix: string, createdAt: number, seqOfDay: number): string {
  return `${prefix}-${cstDate(createdAt).replace(/-/g, '')}-${String(seqOfDay).padStart(4, '0')}`;
}

/** The code prefix of a ticket created on `createdAt`, for finding the day's last sequence. */
export function ticketCodeDayPrefix(prefix: string, createdAt: number): string {
  return `${prefix}-${cstDate(createdAt).replace(/-/g, '')}-`;
}
