// The ways a figure can be broken down. `community` rolls grids up to their level-2 grid and
// `categoryTop` rolls leaf categories up to their top-level category.

export const DIMENSIONS = ['community', 'grid', 'unit', 'categoryTop', 'category', 'channel', 'type', 'urgency'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const DIMENSION_LABELS: Record<Dimension, string> = {
  community: '社区',
  grid: '网格',
  unit: '处置单位',
  categoryTop: '大类',
  category: '小类',
  channel: '渠道',
  type: '诉求类型',
  urgency: '紧急程度',
};
/** The CLI's --by names (category means the top-level category there, as in the examples). */
export const CLI_DIMENSIONS: Record<string, Dimension> = {
  unit: 'unit',
  community: 'community',
  grid: 'grid',
  category: 'categoryTop',
  leaf: 'category',
  channel: 'channel',
  type: 'type',
  urgency: 'urgency',
};
