"""The crawl run: feed and sitemap parsing, seen state, settings, the runner and its summary."""
