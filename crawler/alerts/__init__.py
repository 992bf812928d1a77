"""Alerts: rules tell analysts when a story is new, spreads or a topic surges.

The rules come from the config (read-only) and from the analysts' saved searches
(crawler/index/saved_searches.py). `match` (which rules a story matches, with a term
pre-filter), `evaluate` (what fires), `message` (what is said), `delivery` (apprise,
retries), `digest` (queued alerts, one message), `service` (what the CLI calls) and
`schedule` (the scheduler's hook and digest jobs). Their records and cursors are kept
behind the index's `AlertState` port (crawler/index/alert_state.py).
"""
