"""No models: dashboards only read other apps' data."""
