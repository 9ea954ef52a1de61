// Codes numbered per day (工单编号 JB20261123-00042, 吹哨会议 CS20261123-00003): the next one after
// the highest code of the day already in the table, read inside the writing transaction.

import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema';
import { ticketCode, ticketCodeDayPrefix } from '../../../shared/domain/ticketCode';

export async function nextDailyCode(trx: Transaction<Database>, table: 'tickets' | 'whistle_sessions', prefix: string, at: number): Promise<string> {
  const dayPrefix = ticketCodeDayPrefix(prefix, at);
  const last = await trx
    .selectFrom(table)
    .select('code')
    .where('code', '>=', dayPrefix)
    .where('code', '<', dayPrefix + '~')
    .orderBy('code', 'desc')
    .limit(1)
    .executeTakeFirst();
  return ticketCode(prefix, at, last ? Number(last.code.slice(dayPrefix.length)) + 1 : 1);
}
