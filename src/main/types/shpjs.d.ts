// shpjs ships no type declarations: the part of its API the grid import uses.
declare module 'shpjs' {
  /** Parses a zipped Shapefile (or an object of its parts) into GeoJSON, reprojected to WGS-84. */
  export default function shp(input: ArrayBuffer | Uint8Array | string): Promise<unknown>;
}
