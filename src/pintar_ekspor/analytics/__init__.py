"""Time-series analytics module: datasets, analysis, forecasting, charts, export."""
