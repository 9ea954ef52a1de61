// City operators' view of the intake channels (郑好拍, 数字城管): counters since start by outcome and
// refusal reason, and the cases held at the city with their reasons (`npm run -s city -- intake`).

import type { Route } from '../http';
import { ADMIN_PATH } from '../routes/admin';
import type { IntakeCases } from './cases';
import type { DigitalCityIntake } from './digitalCity';

export function intakeAdminRoutes(intake: IntakeCases, digitalCity: DigitalCityIntake): Route[] {
  return [
    { method: 'GET', path: `${ADMIN_PATH}/intake`, who: 'admin', handle: async () => ({ counters: intake.counters, held: await intake.held() }) },
    {
      // Held cases tried again: 数字城管 classes through the latest table, streets connected since.
      method: 'POST',
      path: `${ADMIN_PATH}/intake/retry`,
      who: 'admin',
      handle: async () => ({ dispatched: (await digitalCity.retryHeld()) + (await intake.deliverHeld((r) => r.held_reason === 'streetNotConnected')) }),
    },
  ];
}
