"""Programmes (resolutions and plans), the shared indicator catalogue, targets and baselines."""
