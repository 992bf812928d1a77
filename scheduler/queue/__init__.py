"""Queue mode: crawl jobs on a Redis queue (Dramatiq), the workers that run them, source locks."""
