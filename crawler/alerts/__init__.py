"""Alerts: rules in the config tell analysts when a story is new, spreads or a topic surges.

`rules` (the config), `match` (which rules a story matches, with a term pre-filter),
`evaluate` (what fires), `message` (what is said), `delivery` (apprise, retries, dead
letters), `state` (exactly-once records in the index backend), `digest` and `service`
(what the scheduler and the CLI call).
"""
