"""Reports made from an assessment: Markdown, JSON (and more)."""
