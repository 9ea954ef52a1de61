// 工单 list: AG Grid's infinite row model over tickets.list, filters in the URL.
// Blocks of 100 rows are fetched as the operator scrolls, so a million tickets scroll smoothly.

import type { CustomCellRendererProps } from 'ag-grid-react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GridApi, GridReadyEvent, IDatasource, IGetRowsParams, RowClassRules, RowSelectionOptions, SortModelItem } from 'ag-grid-community';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TicketListInput } from '../../shared/api/contract';
import type { TicketRow } from '../../shared/api/types';
import type { StatusCounts } from '../../shared/api/operatorTools';
import { awaitsSignIn, formatSignInCountdown, signInState } from '../../shared/domain/signIn';
import { deadlineState } from '../../shared/domain/deadline';
import { formatCountdown } from '../../shared/domain/duration';
import { CHANNEL_LABELS, SUPERVISION_LABELS, URGENCY_LABELS, type SupervisionLevel } from '../../shared/domain/ticket';
import { call, errorMessage, isAuthError, subscribe } from '../api/client';
import { BulkBar, type Picked } from '../components/BulkBar';
import { FilterBar } from '../components/FilterBar';
import { SavedViewsMenu } from '../components/SavedViews';
import { SignInAlert } from '../components/SignInAlert';
import { StatusChips } from '../components/StatusChips';
import { StatusPill } from '../components/StatusPill';
import { gridTheme, GRID_LOCALE } from '../lib/agGrid';
import { filterFromQuery, filterToQuery, isFiltered, toApiFilter, type ListFilter } from '../lib/filters';
import { formatDateTime, formatShortDateTime, serverNow } from '../lib/format';
import { navigate, ticketPath, type Route } from '../lib/router';
import { useLiveQuery } from '../lib/liveQuery';
import { useReadySession } from '../state/session';
import { useShortcut } from '../lib/shortcuts';
import type { TicketStatus } from '../../shared/domain/ticket';

const ROW_SELECTION: RowSelectionOptions = { mode: 'multiRow', checkboxes: true, headerCheckbox: false, enableClickSelection: false };
const SORTABLE = new Set(['createdAt', 'resolveDeadline', 'code', 'status', 'updatedAt']);
const BLOCK = 100;

const StatusCell = memo(function StatusCell(p: CustomCellRendererProps<TicketRow>) {
  return p.data ? <StatusPill status={p.data.status} /> : null;
});

interface CountState {
  /** Exact count when the last row is known. */
  total: number | null;
  /** Rows seen so far otherwise. */
  loaded: number;
  loading: boolean;
  error: string | null;
}

export function TicketListPage({ route }: { route: Route }) {
  const { lookups, user } = useReadySession();
  const filter = useMemo(() => filterFromQuery(route.query), [route.query]);
  const filterKey = filterToQuery(filter);
  const apiRef = useRef<GridApi<TicketRow> | null>(null);
  const [count, setCount] = useState<CountState>({ total: null, loaded: 0, loading: true, error: null });
  // The filter whose first page of rows has arrived: the counts are asked for only then, so a slow
  // count (a filter no index serves, on a big store) never delays the rows.
  const [rowsFor, setRowsFor] = useState<string | null>(null);
  const [stale, setStale] = useState(0);

  const onFilterChange = useCallback((f: ListFilter) => {
    const qs = filterToQuery(f);
    navigate(qs ? `/tickets?${qs}` : '/tickets', { replace: true });
  }, []);

  // A fresh datasource per filter: the grid drops its cache and starts again at the top.
  const datasource = useMemo<IDatasource>(() => {
    // Derived from the key alone, so the datasource changes exactly when the filter does.
    const apiFilter = toApiFilter(filterFromQuery(new URLSearchParams(filterKey)));
    let generation = 0;
    return {
      getRows(params: IGetRowsParams) {
        const gen = ++generation;
        const sort = params.sortModel
          .filter((s: SortModelItem) => SORTABLE.has(s.colId))
          .slice(0, 1)
          .map((s) => ({ colId: s.colId, sort: s.sort })) as TicketListInput['sort'];
        setCount((c) => ({ ...c, loading: true }));
        call('tickets.list', { startRow: params.startRow, endRow: params.endRow, sort, filter: apiFilter })
          .then((page) => {
            const lastRow = page.lastRow >= 0 ? page.lastRow : undefined;
            params.successCallback(page.rows, lastRow);
            setRowsFor(filterKey);
            setCount((c) => ({
              total: lastRow ?? (page.rows.length < params.endRow - params.startRow ? params.startRow + page.rows.length : c.total),
              loaded: Math.max(c.loaded, params.startRow + page.rows.length),
              loading: gen !== generation,
              error: null,
            }));
          })
          .catch((e) => {
            params.failCallback();
            if (!isAuthError(e)) setCount((c) => ({ ...c, loading: false, error: errorMessage(e) }));
          });
      },
    };
  }, [filterKey]);

  useEffect(() => {
    setCount({ total: null, loaded: 0, loading: true, error: null });
    setStale(0);
  }, [filterKey]);

  // The exact total and the per-status counts of the current filter: one count query each, with
  // the list's own filter in the node (never the rows loaded so far). Re-read when the list is.
  const [countsGen, setCountsGen] = useState(0);
  const rowsShown = rowsFor === filterKey;
  const countsQ = useLiveQuery(
    useCallback(
      async (): Promise<StatusCounts | null> => (rowsShown ? call('tickets.statusCounts', { filter: toApiFilter(filterFromQuery(new URLSearchParams(filterKey))) }) : null),
      // countsGen: re-read when the list itself is.
      // eslint-disable-next-line react-hooks/exhaustive-deps
      [filterKey, countsGen, rowsShown],
    ),
    null,
  );
  // Nothing (not the previous filter's figures) while a count runs or after it failed.
  const counts = countsQ.loading || countsQ.error ? null : countsQ.data;

  const [picked, setPicked] = useState<Picked[]>([]);
  useEffect(() => setPicked([]), [filterKey]);
  const clearPicked = useCallback(() => {
    apiRef.current?.deselectAll();
    setPicked([]);
  }, []);

  // Keyboard: J/K move through the list, O or Enter opens, X ticks the current ticket.
  const moveFocus = (delta: number) => {
    const api = apiRef.current;
    if (!api) return false;
    const cur = api.getFocusedCell();
    const count = api.getDisplayedRowCount();
    if (count === 0) return false;
    const next = cur ? Math.min(Math.max(cur.rowIndex + delta, 0), count - 1) : 0;
    api.ensureIndexVisible(next);
    api.setFocusedCell(next, 'code');
    return true;
  };
  const focusedNode = () => {
    const api = apiRef.current;
    const cur = api?.getFocusedCell();
    return cur && api ? api.getDisplayedRowAtIndex(cur.rowIndex) : undefined;
  };
  useShortcut('j', () => moveFocus(1));
  useShortcut('k', () => moveFocus(-1));
  const openFocused = (e: KeyboardEvent) => {
    // Enter inside the grid is the grid's own (onCellKeyDown).
    if (e.key === 'Enter' && (e.target as HTMLElement | null)?.closest?.('.ag-root-wrapper')) return false;
    const n = focusedNode();
    if (!n?.data) return false;
    navigate(ticketPath(n.data.id));
    return true;
  };
  useShortcut('o', openFocused);
  useShortcut('enter', openFocused);
  useShortcut('x', () => {
    const n = focusedNode();
    if (!n?.data) return false;
    n.setSelected(!n.isSelected());
    return true;
  });

  const toggleStatus = (st: TicketStatus) => {
    const statuses = filter.statuses.includes(st) ? filter.statuses.filter((x) => x !== st) : [...filter.statuses, st];
    onFilterChange({ ...filter, statuses });
  };

  // Keep countdowns and overdue marks current.
  useEffect(() => {
    const t = setInterval(() => apiRef.current?.redrawRows(), 60_000);
    return () => clearInterval(t);
  }, []);

  // Live changes: rows on screen are refreshed in place; the rest is flagged, not reshuffled.
  useEffect(() => {
    const changed = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = subscribe((e) => {
      if (e.type === 'reconnected') {
        setStale((s) => s + 1);
        return;
      }
      if (e.type !== 'ticket.changed') return;
      changed.add(e.id);
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        const ids = [...changed];
        changed.clear();
        const api = apiRef.current;
        // An empty list has nothing to reshuffle: it simply loads what has arrived.
        if (api && api.getDisplayedRowCount() === 0) {
          setCountsGen((g) => g + 1);
          api.refreshInfiniteCache();
          return;
        }
        setStale((s) => s + ids.length);
        if (api) void refreshRows(api, ids);
      }, 500);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, []);

  const columnDefs = useMemo(
    (): ColDef<TicketRow>[] => [
      { colId: 'code', field: 'code', headerName: '编号', width: 146, sortable: true, cellClass: 'mono' },
      { colId: 'status', field: 'status', headerName: '状态', width: 80, sortable: true, cellRenderer: StatusCell },
      {
        colId: 'description',
        field: 'description',
        headerName: '标题/描述',
        flex: 1,
        minWidth: 180,
        tooltipValueGetter: (p) => (p.data ? `${p.data.description}\n地址：${p.data.address}` : undefined),
        cellRenderer: DescriptionCell,
      },
      { colId: 'channel', field: 'channel', headerName: '渠道', width: 96, valueFormatter: (p) => (p.value ? CHANNEL_LABELS[p.value as TicketRow['channel']] ?? p.value : '') },
      {
        colId: 'category',
        headerName: '分类',
        width: 150,
        valueGetter: (p) => (p.data?.categoryId ? lookups.catalog.get(p.data.categoryId)?.path ?? '' : p.data ? '未分类' : ''),
        tooltipValueGetter: (p) => (p.value ? String(p.value) : undefined),
        cellClassRules: { muted: (p) => !!p.data && !p.data.categoryId },
      },
      {
        colId: 'grid',
        headerName: '网格',
        width: 124,
        valueGetter: (p) => (p.data?.gridId ? lookups.grids.get(p.data.gridId)?.name ?? '' : ''),
        tooltipValueGetter: (p) => (p.value ? String(p.value) : undefined),
      },
      {
        colId: 'unit',
        headerName: '处置单位',
        width: 136,
        valueGetter: (p) => (p.data?.unitId ? lookups.units.get(p.data.unitId)?.name ?? '' : ''),
        tooltipValueGetter: (p) => (p.value ? String(p.value) : undefined),
      },
      {
        colId: 'createdAt',
        field: 'createdAt',
        headerName: '受理时间',
        width: 108,
        sortable: true,
        initialSort: 'desc',
        // Newest first is the default: the first click turns it to oldest first, never to "no sort".
        sortingOrder: ['desc', 'asc'],
        valueFormatter: (p) => (p.value ? formatShortDateTime(p.value as number) : ''),
        tooltipValueGetter: (p) => (p.value ? formatDateTime(p.value as number) : undefined),
      },
      {
        colId: 'resolveDeadline',
        field: 'resolveDeadline',
        headerName: '时限',
        width: 118,
        sortable: true,
        valueFormatter: (p) => {
          if (!p.data) return '';
          // A 110 transfer waiting for its sign-in counts down to that first.
          if (awaitsSignIn(p.data, serverNow()) && p.data.acceptDeadline != null)
            return `${signInState(p.data, serverNow()) === 'missed' ? '未签收 ' : '签收'}${formatSignInCountdown(p.data.acceptDeadline, serverNow())}`;
          const st = deadlineState(p.data.status, p.data.resolveDeadline, serverNow(), p.data.createdAt);
          if (p.data.resolveDeadline == null) return '—';
          return st === 'none' ? '—' : formatCountdown(p.data.resolveDeadline, serverNow());
        },
        tooltipValueGetter: (p) => (p.data?.resolveDeadline ? `办结时限：${formatDateTime(p.data.resolveDeadline)}` : undefined),
        cellClassRules: {
          'signin-missed': (p) => !!p.data && signInState(p.data, serverNow()) === 'missed',
          'signin-urgent': (p) => !!p.data && signInState(p.data, serverNow()) === 'urgent',
          'cd-overdue': (p) => !!p.data && deadlineState(p.data.status, p.data.resolveDeadline, serverNow(), p.data.createdAt) === 'overdue',
          'cd-duesoon': (p) => !!p.data && deadlineState(p.data.status, p.data.resolveDeadline, serverNow(), p.data.createdAt) === 'dueSoon',
        },
      },
      {
        colId: 'supervisionLevel',
        field: 'supervisionLevel',
        headerName: '督办',
        width: 78,
        valueFormatter: (p) => (p.value ? SUPERVISION_LABELS[p.value as SupervisionLevel] ?? String(p.value) : ''),
        cellClassRules: { 'sv-cell': (p) => !!p.value, 'sv-high': (p) => Number(p.value) >= 3 },
      },
    ],
    [lookups],
  );

  const rowClassRules = useMemo<RowClassRules<TicketRow>>(
    () => ({
      'row-overdue': (p) => !!p.data && deadlineState(p.data.status, p.data.resolveDeadline, serverNow(), p.data.createdAt) === 'overdue',
      'row-duesoon': (p) => !!p.data && deadlineState(p.data.status, p.data.resolveDeadline, serverNow(), p.data.createdAt) === 'dueSoon',
    }),
    [],
  );

  const onGridReady = useCallback((e: GridReadyEvent<TicketRow>) => {
    apiRef.current = e.api;
  }, []);

  const reload = () => {
    setStale(0);
    setCountsGen((g) => g + 1);
    apiRef.current?.refreshInfiniteCache();
  };

  return (
    <div className="page page-fill">
      <div className="page-head compact">
        <h2>工单</h2>
        <div className="list-meta" data-testid="list-count">
          {count.error ? (
            <span className="error-text">{count.error}</span>
          ) : counts != null ? (
            <>
              共 <strong data-testid="list-total">{counts.total.toLocaleString('zh-CN')}</strong> 条
            </>
          ) : count.total != null ? (
            <>
              {/* The grid reached the last row: this total is exact too. */}
              共 <strong data-testid="list-total">{count.total.toLocaleString('zh-CN')}</strong> 条
            </>
          ) : count.loaded > 0 ? (
            <>已加载 {count.loaded.toLocaleString('zh-CN')} 条…</>
          ) : count.loading ? (
            '查询中…'
          ) : null}
          {stale > 0 && (
            <button type="button" className="stale-btn" onClick={reload} data-testid="list-refresh">
              工单有更新 · 刷新列表
            </button>
          )}
        </div>
      </div>
      <SignInAlert />
      <FilterBar filter={filter} onChange={onFilterChange} lookups={lookups} />
      <div className="list-tools">
        <StatusChips counts={counts} chosen={filter.statuses} onToggle={toggleStatus} />
        <div className="spacer" />
        <SavedViewsMenu query={filterKey} />
      </div>
      <BulkBar picked={picked} lookups={lookups} canAct={user.role === 'operator' || user.role === 'leader'} onClear={clearPicked} />
      <div className="grid-wrap" data-testid="ticket-grid">
        <AgGridReact<TicketRow>
          theme={gridTheme}
          localeText={GRID_LOCALE}
          rowModelType="infinite"
          datasource={datasource}
          cacheBlockSize={BLOCK}
          maxBlocksInCache={60}
          cacheOverflowSize={2}
          infiniteInitialRowCount={BLOCK}
          maxConcurrentDatasourceRequests={2}
          blockLoadDebounceMillis={80}
          rowBuffer={15}
          rowHeight={36}
          headerHeight={38}
          getRowId={(p) => p.data.id}
          columnDefs={columnDefs}
          defaultColDef={{ sortable: false, resizable: true, suppressMovable: true }}
          rowClassRules={rowClassRules}
          rowSelection={ROW_SELECTION}
          selectionColumnDef={{ width: 40, pinned: 'left', headerName: '', suppressHeaderMenuButton: true }}
          onSelectionChanged={(e) => setPicked(e.api.getSelectedRows().map((r) => ({ id: r.id, code: r.code })))}
          tooltipShowDelay={600}
          suppressCellFocus={false}
          onGridReady={onGridReady}
          onRowClicked={(e) => {
            // A click on the row's checkbox selects it; anywhere else opens the ticket.
            const target = e.event?.target as HTMLElement | null | undefined;
            if (target?.closest('.ag-selection-checkbox, [col-id="ag-Grid-SelectionColumn"]')) return;
            if (e.data) navigate(ticketPath(e.data.id));
          }}
          onCellKeyDown={(e) => {
            const ke = e.event as KeyboardEvent | undefined;
            if (ke?.key === 'Enter' && e.data) navigate(ticketPath(e.data.id));
          }}
        />
        {(counts?.total === 0 || count.total === 0) && (
          <div className="grid-empty" data-testid="list-empty">
            <div className="empty-icon">∅</div>
            <div>没有符合条件的工单</div>
            {isFiltered(filter) && (
              <button type="button" className="link-btn" onClick={() => onFilterChange({ statuses: [] })}>
                清除筛选条件
              </button>
            )}
          </div>
        )}
      </div>
    </div>
  );
}

/** Description with urgency / micro-event marks in front. */
const DescriptionCell = memo(function DescriptionCell(p: CustomCellRendererProps<TicketRow>) {
  const d = p.data;
  if (!d) return null;
  return (
    <span className="desc-cell">
      {d.urgency !== 'normal' && <span className={`tag tag-${d.urgency}`}>{URGENCY_LABELS[d.urgency]}</span>}
      {d.isMicro && <span className="tag tag-micro">小微</span>}
      <span className="desc-text">{d.description}</span>
    </span>
  );
});

/** Re-reads changed tickets that are in the grid's cache and updates their rows in place. */
async function refreshRows(api: GridApi<TicketRow>, ids: string[]) {
  for (const id of ids.slice(0, 50)) {
    const node = api.getRowNode(id);
    if (!node) continue;
    try {
      const d = await call('tickets.get', { id });
      node.setData(d.ticket);
    } catch {
      /* gone or not visible to us any more: leave it, the refresh button will sort it out */
    }
  }
}
