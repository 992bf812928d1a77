"""One-shot set-up of the compose stack: security objects, indices, Kibana objects."""
