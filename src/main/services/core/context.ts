// Everything a service needs, passed explicitly: the store, the calendar, the clock, the event bus.

import { Calendar } from '../../../shared/domain/calendar';
import type { ApiEvent } from '../../../shared/api/contract';
import type { Store } from '../../db/store';
import { EventBus } from './eventBus';
import { createLogger, type Logger } from './log';

export interface NodeContext {
  store: Store;
  calendar: Calendar;
  now: () => number;
  events: EventBus<ApiEvent>;
  log: Logger;
}

export function createContext(store: Store, opts: { now?: () => number; log?: Logger } = {}): NodeContext {
  return {
    store,
    calendar: new Calendar(),
    now: opts.now ?? Date.now,
    events: new EventBus<ApiEvent>(),
    log: opts.log ?? createLogger('node'),
  };
}
