"""Vietnam's administrative units in both structures (before and after 1/7/2025), the crosswalk
between them, and the agencies under each province."""
