"""Question and framework catalogues: loading and validation (no UI, no AWS)."""
