// 郑好拍: citizen photo reports from the city's app, sent by the app's platform (client certificate,
// OU = zhenghaopai; `npm run -s city -- add-intake-client zhenghaopai NAME`). A report is checked,
// its photos stored, its place located and its citizen-picked class checked against the catalog; it
// becomes a ticket on its street on the 郑好拍 channel, and the answer carries the ticket number for
// the citizen. The app reads the progress (and, once closed, the result) back by its report id.
// Payload and replies: src/shared/intake/citizenReports.ts; README “郑好拍”.

import { CityError } from '../service';
import type { Route } from '../http';
import { serviceByCode } from '../open311/services';
import { ZHP_REPORTS_PATH, zhpReport } from '../../shared/intake/citizenReports';
import type { IntakeCases } from './cases';
import { answer, readIntake } from './channelRequest';

export function zhenghaopaiRoutes(intake: IntakeCases): Route[] {
  return [
    {
      method: 'POST',
      path: ZHP_REPORTS_PATH,
      who: 'zhenghaopai',
      handle: async (c) => {
        const caller = c.caller.cn ?? 'zhenghaopai';
        const r = await readIntake(c, intake, 'zhenghaopai', zhpReport);
        const again = await intake.replay('zhenghaopai', r.reportId);
        if (again) return answer(c, again);
        const service = r.category ? serviceByCode(r.category) : undefined;
        if (r.category && !service) throw intake.refuse('zhenghaopai', 'unknownCategory', `类别编码 ${r.category} 不在派单目录中`, `${r.reportId}: category ${r.category}`, caller);
        const photos = intake.storePhotos('zhenghaopai', r.reportId, caller, r.photos);
        const street = intake.locate('zhenghaopai', r.reportId, caller, r.point, r.address);
        const reply = await intake.submit({
          source: 'zhenghaopai',
          ref: r.reportId,
          caller,
          street,
          category: service?.service_code ?? null,
          sourceCode: null,
          phone: r.phone,
          dispatch: {
            text: r.text,
            address: r.address ?? `${street.name}（市民拍照定位 ${r.point!.lon.toFixed(6)},${r.point!.lat.toFixed(6)}）`,
            ...(r.point ? { lon: r.point.lon, lat: r.point.lat } : {}),
            externalRef: r.reportId,
            reporterPhone: r.phone,
            ...(r.name ? { reporterName: r.name } : {}),
            type: service?.ticketType === 'consultation' ? 'consultation' : 'report',
            channel: 'zhenghaopai',
            photos,
          },
        });
        return answer(c, reply);
      },
    },
    {
      // Progress and, once closed, the result: what the app shows the citizen.
      method: 'GET',
      path: `${ZHP_REPORTS_PATH}/:reportId`,
      who: 'zhenghaopai',
      handle: async (c) => {
        const s = await intake.status('zhenghaopai', c.params.reportId!);
        if (!s) throw new CityError(404, 'notFound', `no report ${c.params.reportId!.slice(0, 64)}`);
        return s;
      },
    },
  ];
}
