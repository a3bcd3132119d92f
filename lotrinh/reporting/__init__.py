"""The reporting information system: regimes, periods, reports, values, validation, workflow, audit."""
