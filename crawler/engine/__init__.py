"""The long-running crawl engine: one reactor, one crawler per poll, warm shared parts."""
