// 三跨会商 (joint review of cross-boundary cases): dimensions, unit positions, review states.

export const CROSS_DIMENSIONS = ['region', 'level', 'department'] as const;
export type CrossDimension = (typeof CROSS_DIMENSIONS)[number];
export const CROSS_DIMENSION_LABELS: Record<CrossDimension, string> = {
  region: '跨区域',
  level: '跨层级',
  department: '跨部门',
};

export const REVIEW_POSITIONS = ['pending', 'lead', 'assist', 'decline'] as const;
export type ReviewPosition = (typeof REVIEW_POSITIONS)[number];
export const REVIEW_POSITION_LABELS: Record<ReviewPosition, string> = {
  pending: '待表态',
  lead: '愿意牵头',
  assist: '配合办理',
  decline: '不属本单位职责',
};

export const REVIEW_STATUSES = ['open', 'decided'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const REVIEW_STATUS_LABELS: Record<ReviewStatus, string> = { open: '会商中', decided: '已定责' };
