// A small OpenLayers map of a few tickets (a recurring problem's places) on the street's offline
// basemap: the same OpsMap as the map page, zoomed to the points; a click opens the ticket.

import { useCallback, useEffect, useRef, useState } from 'react';
import { TICKET_STATUSES, type TicketStatus } from '../../shared/domain/ticket';
import type { TicketPoint } from '../../shared/api/grids';
import { call } from '../api/client';
import { useLiveQuery } from '../lib/liveQuery';
import { navigate } from '../lib/router';
import { OpsMap } from './OpsMap';

export function PointsMap({ points, height = 320, testId }: { points: Array<{ id: string; lon: number; lat: number; status: TicketStatus }>; height?: number; testId?: string }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [ctrl, setCtrl] = useState<OpsMap | null>(null);
  const basemap = useLiveQuery(useCallback(() => call('map.basemap', {}), []), null).data;
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const m = new OpsMap(host, {
      onGridClick: () => {},
      onTicketClick: (id) => navigate(`/tickets/${id}`),
      onTicketGroup: (ids) => ids[0] && navigate(`/tickets/${ids[0]}`),
      onPick: () => {},
      onRenderComplete: () => {
        host.dataset.ready = '1';
      },
    });
    m.setLevel('3');
    setCtrl(m);
    return () => {
      m.dispose();
      setCtrl(null);
    };
  }, []);
  useEffect(() => {
    if (ctrl && basemap) ctrl.setBasemap(basemap);
  }, [ctrl, basemap]);
  useEffect(() => {
    if (!ctrl) return;
    const pts: TicketPoint[] = points.map((p) => [p.id, p.lon, p.lat, Math.max(0, TICKET_STATUSES.indexOf(p.status)), 0]);
    ctrl.setPoints({ points: pts, statuses: TICKET_STATUSES, truncated: false, noPoint: { count: 0, sample: [] }, alarms: {}, now: Date.now() });
    ctrl.fitPoints(points.map((p) => [p.lon, p.lat] as const));
    if (hostRef.current) hostRef.current.dataset.points = String(points.length);
  }, [ctrl, points, basemap]);
  return (
    <div className="points-map" style={{ height }}>
      <div ref={hostRef} className="map-host" data-testid={testId} aria-label="批量问题的地点" />
    </div>
  );
}
