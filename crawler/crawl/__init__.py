"""The crawl's own state and wiring: settings, sources, seen-URL state, side stores, the
extraction pool, stats keys and the summary."""
