// Grid vocabulary: levels, member roles, and the six-element counts kept per grid.

import type { GridLevel } from './ticket';

export const GRID_LEVEL_LABELS: Record<GridLevel, string> = {
  '1': '一级网格（街道）',
  '2': '二级网格（社区）',
  '3': '三级网格',
  micro: '微网格',
  special: '专属网格',
};

/** The level a grid's parent must have. */
export const PARENT_LEVELS: Record<GridLevel, readonly GridLevel[]> = {
  '1': [],
  '2': ['1'],
  '3': ['2'],
  micro: ['3'],
  special: ['1', '2', '3'],
};

export const GRID_MEMBER_ROLES = ['gridLeader', 'fullTimeOfficer', 'partTimeOfficer', 'communityPolice', 'auxiliaryPolice'] as const;
export type GridMemberRole = (typeof GRID_MEMBER_ROLES)[number];
export const GRID_MEMBER_ROLE_LABELS: Record<GridMemberRole, string> = {
  gridLeader: '网格长',
  fullTimeOfficer: '专职网格员',
  partTimeOfficer: '兼职网格员',
  communityPolice: '社区民警',
  auxiliaryPolice: '辅警',
};

/** The six elements (六要素): people, places, events, things, sentiment, organizations. Events and
 * sentiment come from tickets; the counts kept per grid cover the other four. */
export const GRID_ELEMENT_GROUPS = ['people', 'places', 'things', 'organizations'] as const;
export type GridElementGroup = (typeof GRID_ELEMENT_GROUPS)[number];
export const GRID_ELEMENT_GROUP_LABELS: Record<GridElementGroup, string> = {
  people: '人',
  places: '地',
  things: '物（部件）',
  organizations: '组织',
};

export const GRID_ELEMENTS = [
  { kind: 'keyCareResidents', label: '重点关爱人员', group: 'people' },
  { kind: 'courtyards', label: '院落', group: 'places' },
  { kind: 'buildings', label: '楼栋', group: 'places' },
  { kind: 'manholeCovers', label: '井盖', group: 'things' },
  { kind: 'streetLights', label: '路灯', group: 'things' },
  { kind: 'fireHydrants', label: '消防栓', group: 'things' },
  { kind: 'cameras', label: '监控探头', group: 'things' },
  { kind: 'enterprises', label: '企业', group: 'organizations' },
  { kind: 'shops', label: '沿街商户', group: 'organizations' },
  { kind: 'socialOrgs', label: '社会组织', group: 'organizations' },
  { kind: 'partyOrgs', label: '党组织', group: 'organizations' },
] as const satisfies ReadonlyArray<{ kind: string; label: string; group: GridElementGroup }>;
export type GridElementKind = (typeof GRID_ELEMENTS)[number]['kind'];
export const GRID_ELEMENT_KINDS: readonly GridElementKind[] = GRID_ELEMENTS.map((e) => e.kind);
