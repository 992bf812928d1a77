"""Alerts: rules in the config tell analysts when a story is new, spreads or a topic surges.

`rules` (the config), `match` (which rules a story matches, with a term pre-filter),
`evaluate` (what fires), `message` (what is said), `delivery` (apprise, retries),
`state` (the port for exactly-once records and dead letters; `state_sqlite`,
`state_es` implement it), `digest` (queued alerts, one message), `service` (what the
CLI calls) and `schedule` (the scheduler's hook and digest jobs).
"""
