// Wall time spent inside the city's push (`city_apply_s` of `bench sync`), in either layout.
import { performance } from 'node:perf_hooks';
import type { CityServer } from '../src/city/server';

/** Wraps the city's push to add up the time spent in it; `reset` starts again from zero. */
export function timeCityPush(city: CityServer): { ms: () => number; reset: () => void } {
  let total = 0;
  const push = city.svc.push.bind(city.svc);
  city.svc.push = async (s, o) => {
    const t = performance.now();
    try {
      return await push(s, o);
    } finally {
      total += performance.now() - t;
    }
  };
  return { ms: () => total, reset: () => void (total = 0) };
}
