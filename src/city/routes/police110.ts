// The 110 route group: the police dispatch system (client certificate with OU=police110) transfers a
// non-police call and reads back where it stands. Interface in the README (“110 非警务警情分流”).

import { CityError } from '../service';
import { sendJson, HANDLED, type Route } from '../http';
import { INCIDENT_NO_RE, MAX_POLICE110_BODY, POLICE110_PATH } from '../../shared/intake/police110';
import type { Police110Intake } from '../intake/police110';

export function police110Routes(intake: Police110Intake): Route[] {
  return [
    {
      method: 'POST',
      path: `${POLICE110_PATH}/incidents`,
      who: 'police110',
      handle: async (c) => {
        const type = c.req.headers['content-type'];
        if (!type || !/^application\/json\s*(;|$)/i.test(type)) throw intake.refuseEarly('malformed', 415, `报文须为 application/json（收到 ${String(type).slice(0, 100)}）`, { from: c.caller.cn });
        let raw: Buffer;
        try {
          raw = await c.raw(MAX_POLICE110_BODY);
        } catch (err) {
          if (err instanceof CityError && err.code === 'tooLarge') throw intake.refuseEarly('tooLarge', 413, `报文超过 ${MAX_POLICE110_BODY} 字节`, { from: c.caller.cn });
          throw err;
        }
        let body: unknown;
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          throw intake.refuseEarly('malformed', 400, '报文不是有效的 JSON', { from: c.caller.cn });
        }
        const r = await intake.transfer(body, c.caller.cn);
        sendJson(c.res, r.created ? 201 : 200, { ...r.receipt, replayed: !r.created });
        return HANDLED;
      },
    },
    {
      method: 'GET',
      path: `${POLICE110_PATH}/incidents/:no`,
      who: 'police110',
      handle: async (c) => {
        const no = c.params.no!;
        if (!INCIDENT_NO_RE.test(no)) throw new CityError(400, 'badIncidentNo', `not an incident number: ${no.slice(0, 60)}`);
        return intake.feedback(no);
      },
    },
  ];
}
