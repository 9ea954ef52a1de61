import type { statsMethods } from '../../../shared/api/stats';

export type StatsMethod = keyof typeof statsMethods;
