"""Downloader middlewares: retries with backoff, off-site redirects, binary bodies, charsets."""
