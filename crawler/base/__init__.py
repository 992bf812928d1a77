"""Small helpers every layer shares, as `scrapy.utils`: stored times, text folding, URLs."""
