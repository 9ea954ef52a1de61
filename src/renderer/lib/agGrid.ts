// AG Grid Community setup: only the modules the ticket list uses, the theme, Chinese texts.

import {
  CellStyleModule,
  InfiniteRowModelModule,
  LocaleModule,
  ModuleRegistry,
  RowApiModule,
  RowSelectionModule,
  ScrollApiModule,
  RowStyleModule,
  TooltipModule,
  themeQuartz,
} from 'ag-grid-community';

// RowApiModule provides redrawRows (the list's once-a-minute countdown refresh): without it AG Grid
// logs error #200 and the countdowns never move.
// RowSelectionModule: the checkboxes for bulk work; ScrollApiModule: J/K keep the current row in view.
ModuleRegistry.registerModules([InfiniteRowModelModule, RowApiModule, RowSelectionModule, ScrollApiModule, RowStyleModule, CellStyleModule, TooltipModule, LocaleModule]);

export const FONT_STACK = [
  '-apple-system',
  'BlinkMacSystemFont',
  'Segoe UI',
  'Noto Sans CJK SC',
  'Microsoft YaHei',
  'PingFang SC',
  'sans-serif',
];

export const gridTheme = themeQuartz.withParams({
  accentColor: '#1f6feb',
  fontFamily: FONT_STACK,
  fontSize: 13,
  headerFontSize: 13,
  headerFontWeight: 600,
  foregroundColor: '#1f2328',
  headerTextColor: '#424a53',
  headerBackgroundColor: '#f6f8fa',
  borderColor: '#e1e4e8',
  rowBorder: { color: '#eef0f3' },
  rowHoverColor: '#f2f7ff',
  wrapperBorderRadius: 6,
  spacing: 6,
  cellHorizontalPaddingScale: 0.6,
  headerColumnResizeHandleColor: '#d0d7de',
  browserColorScheme: 'light',
});

export const GRID_LOCALE: Record<string, string> = {
  loadingOoo: '加载中…',
  loadingError: '加载失败',
  noRowsToShow: '没有符合条件的工单',
  ariaRowSelect: '选择行',
  ariaSortableColumn: '按回车排序',
  ariaColumn: '列',
  ariaRow: '行',
  ariaRowCount: '行数',
  ariaSearch: '搜索',
  sortAscending: '升序',
  sortDescending: '降序',
  sortUnSort: '取消排序',
  ariaLabelSelectField: '选择',
  ariaLabelTooltip: '提示',
  ariaMenuColumn: '列菜单',
};
