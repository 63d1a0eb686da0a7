// Custom plotly.js bundle with only what routes_dash draws: scatter (in core), bar, sankey.
var Plotly = require('plotly.js/lib/core');
Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/sankey')]);
module.exports = Plotly;
