// Opens routes_dash's flowmap export the way flowmap.blue does, with @flowmap.gl/data 9.4's
// own selectors, and prints what they make of it.
// Usage (after bundling with esbuild, see tests/test_consumers.py):
//   node flowmap.mjs locations.csv flows.csv  → one JSON report on stdout.
import fs from 'node:fs';
import {csvParse} from 'd3-dsv';
import {parseTime} from '@flowmap.gl/data';
// FlowmapSelectors is the default export of dist/FlowmapSelectors.js, which the package's
// index does not re-export in 9.4.0.
import FlowmapSelectors from '@flowmap.gl/data/dist/FlowmapSelectors.js';

const [locationsFile, flowsFile] = process.argv.slice(2);
const locations = csvParse(fs.readFileSync(locationsFile, 'utf8'),
  r => ({id: r.id, name: r.name, lat: +r.lat, lon: +r.lon}));
const rows = csvParse(fs.readFileSync(flowsFile, 'utf8'));

// flowmap.blue's prepareFlows: sums flows of one origin, destination and parsed time.
function prepareFlows(rows) {
  const merged = new Map();
  for (const r of rows) {
    const time = 'time' in r ? parseTime(r.time) : undefined;
    const key = `${r.origin}\u0000${r.dest}\u0000${time ? time.toISOString() : 'unknown'}`;
    const flow = merged.get(key) || {origin: r.origin, dest: r.dest, time, count: 0};
    flow.count += Number(r.count);
    merged.set(key, flow);
  }
  return [...merged.values()];
}
const flows = prepareFlows(rows);
const accessors = {
  getLocationId: l => l.id, getLocationName: l => l.name,
  getLocationLat: l => l.lat, getLocationLon: l => l.lon,
  getFlowOriginId: f => f.origin, getFlowDestId: f => f.dest,
  getFlowMagnitude: f => f.count, getFlowTime: f => f.time,
};
const selectors = new FlowmapSelectors(accessors);
// The defaults of @flowmap.gl/layers' FlowmapLayer.
const state = {
  settings: {flowLinesRenderingMode: 'straight', fadeEnabled: true, fadeOpacityEnabled: false,
    locationsEnabled: true, locationTotalsEnabled: true, locationLabelsEnabled: false,
    adaptiveScalesEnabled: true, clusteringEnabled: false, clusteringAuto: true,
    darkMode: true, fadeAmount: 50, colorScheme: 'Teal', highlightColor: 'orange',
    maxTopFlowsDisplayNum: 5000, flowEndpointsInViewportMode: 'any',
    flowLineThicknessScale: 1},
  viewport: {width: 1200, height: 800, latitude: 30, longitude: 115, zoom: 3},
};
const props = {locations, flows};
const day = d => (d instanceof Date ? (isNaN(d) ? 'Invalid Date' : d.toISOString().slice(0, 10))
                                    : String(d));
const extent = selectors.getTimeExtent(state, props);
const report = {
  flows: flows.length,
  placed: selectors.getSortedFlowsForKnownLocations(state, props).length,
  invalidLocations: selectors.getInvalidLocationIds(state, props) || [],
  granularity: selectors.getTimeGranularityKey(state, props) || null,
  timeExtent: (extent || []).map(day),
  countsByTime: (selectors.getTotalCountsByTime(state, props) || [])
    .map(b => ({time: day(b.time), count: b.count})),
  total: selectors.getTotalUnfilteredCount(state, props),
  // What the time slider does once a reader touches it: a range equal to the whole extent.
  totalInFullRange: extent ? new FlowmapSelectors(accessors).getTotalFilteredCount(
    {...state, filter: {selectedTimeRange: [new Date(+extent[0]), new Date(+extent[1])]}},
    props) : null,
};
process.stdout.write(JSON.stringify(report));
