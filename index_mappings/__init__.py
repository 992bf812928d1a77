"""The Elasticsearch index definitions and Kibana objects, as data (README.md here).

A package only so that the JSON files travel inside the wheel: `crawler.index.mappings`
reads them by name with importlib.resources, from a checkout and an installed copy alike.
"""
