// A small map to set a ticket's point (新建工单, 修改位置): the street's offline basemap and grids
// (the same OpsMap as the map page, no tickets drawn); a click sets the point and shows a marker,
// dragging the marker or clicking elsewhere moves it. The form judges the grid at the point
// (grids.lookup), as choosing a place proposal does. A point typed or proposed elsewhere in the
// form shows here too.

import { useCallback, useEffect, useRef, useState } from 'react';
import { call } from '../api/client';
import { useLiveQuery } from '../lib/liveQuery';
import { OpsMap } from './OpsMap';

export function LocationPickMap({
  point,
  onPick,
  height = 260,
  testId,
}: {
  /** The form's current point (WGS-84), or null when it has none or it does not parse. */
  point: [number, number] | null;
  onPick: (lon: number, lat: number) => void;
  height?: number;
  testId?: string;
}) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [ctrl, setCtrl] = useState<OpsMap | null>(null);
  const baseLoaded = useRef(false);
  const pick = useRef(onPick);
  pick.current = onPick;
  const basemap = useLiveQuery(useCallback(() => call('map.basemap', {}), []), null);
  const grids = useLiveQuery(useCallback(() => call('grids.geojson', {}), []), null);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const m: OpsMap = new OpsMap(host, {
      onGridClick: () => {},
      onTicketClick: () => {},
      onTicketGroup: () => {},
      onPick: (lon, lat) => pick.current(lon, lat),
      onRenderComplete: () => {
        // Ready: the basemap and the grids drawn, and the view at rest.
        host.dataset.ready = baseLoaded.current && m.gridFeatureCount() > 0 ? '1' : '0';
      },
    });
    host.dataset.ready = '0';
    m.setDisplay('none');
    m.setLevel('3');
    m.setStreetPadding([30, 16, 16, 16]);
    m.setPicking(true);
    m.enableMarkerDrag();
    setCtrl(m);
    return () => {
      m.dispose();
      setCtrl(null);
    };
  }, []);

  useEffect(() => {
    if (!ctrl || !basemap.data) return;
    ctrl.setBasemap(basemap.data);
    baseLoaded.current = true;
  }, [ctrl, basemap.data]);
  useEffect(() => {
    if (ctrl && grids.data) ctrl.setGrids(grids.data);
  }, [ctrl, grids.data]);

  const lon = point?.[0];
  const lat = point?.[1];
  useEffect(() => {
    if (!ctrl) return;
    ctrl.setPickMarker(lon != null && lat != null ? [lon, lat] : null);
    // Moving the view to the point: not ready until it has moved and drawn (rendercomplete).
    if (lon != null && lat != null && ctrl.showPoint(lon, lat) && hostRef.current) hostRef.current.dataset.ready = '0';
    if (hostRef.current) hostRef.current.dataset.marker = lon != null && lat != null ? `${lon.toFixed(6)},${lat.toFixed(6)}` : '';
    // After the basemap: its first fit must not hide a point set before it arrived.
  }, [ctrl, lon, lat, basemap.data]);

  const error = basemap.error ?? grids.error;
  return (
    <div className="pick-map" style={{ height }}>
      <div ref={hostRef} className="map-host is-picking" data-testid={testId} aria-label="选点地图：点击地图设置位置，拖动标记可移动" />
      <div className="pick-map-hint">{error ? <span className="warn">{error}</span> : point ? '点击地图或拖动标记可移动位置' : '点击地图设置位置'}</div>
    </div>
  );
}
