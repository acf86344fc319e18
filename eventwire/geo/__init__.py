"""Geography: the offline GeoNames gazetteer and its index."""
