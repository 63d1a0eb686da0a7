// Opens routes_dash's kepler.gl export the way kepler.gl 3.2 does, and prints what it made.
// Usage: node kepler.cjs kepler-arcs.csv kepler-map.json  → one JSON report on stdout.
//
// The CSV: kepler's addDataToMap path: processCsvData → validateInputData → KeplerTable
// (importData computes the lat/lng field pairs) → findDefaultLayer, the layers kepler creates
// on its own. The map file: processKeplerglJSON (kepler's "load map"), its dataset imported
// the same way, its saved layers read by kepler's schema.
const fs = require('fs');
const {processCsvData, processKeplerglJSON} = require('@kepler.gl/processors');
const {KeplerTable} = require('@kepler.gl/table');
const {validateInputData} = require('@kepler.gl/utils');
const {LayerClasses} = require('@kepler.gl/layers');

// Copied from @kepler.gl/reducers 3.2.6 (layer-utils.js) rather than installing the reducers
// and their React dependencies: the layers kepler adds for a new dataset.
function findDefaultLayer(dataset, layerClasses) {
  const layerProps = Object.keys(layerClasses).reduce((previous, lc) => {
    const result = typeof layerClasses[lc].findDefaultLayerProps === 'function'
      ? layerClasses[lc].findDefaultLayerProps(dataset, previous) : {props: []};
    const props = Array.isArray(result) ? result : result.props || [];
    const foundLayers = result.foundLayers || previous;
    return foundLayers.concat(props.map(p => ({...p, type: lc, dataId: dataset.id,
      ...(lc === 'arc' || lc === 'line' ? {isVisible: false} : {})})));
  }, []);
  return layerProps.map(props => {
    const layer = new layerClasses[props.type](props);
    return typeof layer.setInitialLayerConfig === 'function' && dataset.dataContainer
      ? layer.setInitialLayerConfig(dataset) : layer;
  });
}

async function table(id, data) {
  const dataset = new KeplerTable({info: {id, label: id}, color: [255, 0, 0]});
  await dataset.importData({data: validateInputData(data)});
  return dataset;
}

function describeTable(dataset) {
  return {
    rows: dataset.dataContainer.numRows(),
    fields: Object.fromEntries(dataset.fields.map(f => [f.name, f.type])),
    pairs: dataset.fieldPairs.map(p => ({name: p.defaultName, lat: p.pair.lat.value,
                                         lng: p.pair.lng.value})),
  };
}

function columnsOf(columns) {
  return Object.fromEntries(Object.entries(columns || {})
    .map(([k, c]) => [k, c && typeof c === 'object' ? c.value : c]).filter(([, v]) => v));
}

(async () => {
  const [csvFile, mapFile] = process.argv.slice(2);
  const csv = await table('csv', processCsvData(fs.readFileSync(csvFile, 'utf8')));
  const detected = findDefaultLayer(csv, LayerClasses).map(l => ({
    type: l.type, visible: l.config.isVisible, columns: columnsOf(l.config.columns),
    valid: l.isValidToSave ? l.isValidToSave() : null}));
  const report = {csv: {...describeTable(csv), layers: detected}};
  if (mapFile) {
    const loaded = processKeplerglJSON(JSON.parse(fs.readFileSync(mapFile, 'utf8')));
    const saved = loaded.datasets[0];
    const dataset = await table(saved.info.id, saved.data);
    const layers = loaded.config.visState.layers.map(l => ({
      type: l.type, dataId: l.config.dataId, visible: l.config.isVisible,
      columns: columnsOf(l.config.columns),
      colorField: (l.config.colorField || {}).name || null}));
    report.map = {label: saved.info.label, ...describeTable(dataset), layers,
                  mapState: loaded.config.mapState};
  }
  process.stdout.write(JSON.stringify(report));
})().catch(error => { console.error(error && error.stack || error); process.exit(2); });
