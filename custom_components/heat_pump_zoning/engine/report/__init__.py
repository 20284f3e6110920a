"""Reading history: the report, the export rows and the estimates (pure Python)."""
