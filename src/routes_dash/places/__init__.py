"""Where each place is: curated points, the geocode cache, the offline gazetteer and, on
request, an online geocoder."""
