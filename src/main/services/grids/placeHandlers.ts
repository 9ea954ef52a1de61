// Handlers of the places area of the API contract: address proposals and the gazetteer import.

import type { PlaceMethod } from '../../../shared/api/places';
import type { NodeContext } from '../core/context';
import type { HandlersFor } from '../core/handlers';
import { appendAudit } from '../audit/auditLog';
import { actorOf } from '../auth/accounts';
import { STREET_MANAGERS, requireRole } from '../auth/roles';
import { decodeBase64 } from '../tickets/attachments';
import { ImportFileError } from './import';
import { parseTableBytes } from './peopleImport';
import { AppError } from '../core/errors';
import { importPlaces, placeCount, suggestPlaces, validatePlaceTable } from './places';

/** Who types addresses into tickets (files them or corrects their location). */
const ADDRESS_TYPISTS = ['operator', 'leader', 'gridOfficer', 'admin'] as const;

export function placeHandlers(ctx: NodeContext): HandlersFor<PlaceMethod> {
  return {
    'places.suggest': async ({ input, user }) => {
      requireRole(user, ADDRESS_TYPISTS, '查询地名');
      return suggestPlaces(ctx, input.text, input.limit);
    },
    'places.count': async ({ user }) => {
      requireRole(user, ADDRESS_TYPISTS, '查看地名库');
      return { count: await placeCount(ctx) };
    },
    'places.import': async ({ input, user }) => {
      requireRole(user, STREET_MANAGERS, '导入地名');
      let table: string[][];
      try {
        table = await parseTableBytes(input.name, decodeBase64(input.dataBase64));
      } catch (err) {
        if (err instanceof ImportFileError) throw new AppError('badFile', err.reason, { detail: `places import ${input.name}: ${err.detail}` });
        throw err;
      }
      const rows = await validatePlaceTable(ctx, table);
      const result = await importPlaces(ctx, rows);
      await appendAudit(ctx.store.db, ctx.now(), { actor: actorOf(user), action: 'settings.change', target: 'places', detail: { file: input.name, rows: result.rows, added: result.added, updated: result.updated } });
      ctx.events.publish({ type: 'settings.changed' });
      return result;
    },
  };
}
