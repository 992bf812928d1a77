"""Scrapy settings of the newswatch crawler (`scrapy crawl news` from the repository root).

`crawler.crawl.settings.crawl_settings(config)` overrides these from a validated
newswatch config for each run; the values here are the polite defaults.
"""

BOT_NAME = "newswatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness: identify ourselves, obey robots.txt, adapt to the server's pace.
USER_AGENT = "newswatch/0.1 (+https://github.com/newswatch/newswatch)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Items of one response handled at once. An article page yields one item, and
# Scrapy starts this many asyncio tasks for every response (100 by default: a
# millisecond of the crawl process per page).
CONCURRENT_ITEMS = 4
COOKIES_ENABLED = False  # news pages need none; cookie walls are not for crawlers
TELNETCONSOLE_ENABLED = False

# Bad input must end as a counted error, never as a stuck or huge crawl.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_BACKOFF_ENABLED = True
RETRY_BACKOFF_BASE = 1.0  # seconds before the first retry, doubled for each next one
RETRY_BACKOFF_MAX = 60.0
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"

# process_response runs from the highest number down: the off-site/loop check
# sees a 3xx before RedirectMiddleware (600) follows it; binary and charset
# checks see the final response after redirects, before retries (550).
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    # The same, with the crawl engine's robots.txt cache (NEWSWATCH_ROBOTS_CACHE).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.CachedRobotsTxtMiddleware": 100,
    "crawler.middlewares.backoff.BackoffRetryMiddleware": 550,
    "crawler.middlewares.hints.PollHintsMiddleware": 560,
    "crawler.middlewares.charset.CharsetMiddleware": 580,
    "crawler.middlewares.content.BinaryContentMiddleware": 590,
    "crawler.middlewares.offsite.OffsiteRedirectMiddleware": 650,
    # Before DownloadTimeoutMiddleware (350), which only fills in a missing timeout.
    "crawler.middlewares.deadline.DeadlineMiddleware": 340,
}
DEADLINE_ENABLED = True  # no download outlives the crawl's time limit (CLOSESPIDER_TIMEOUT)
DEADLINE_MARGIN = 1.0  # seconds past the time limit a download may still take
OFFSITE_REDIRECT_ENABLED = True
BINARY_CONTENT_ENABLED = True
CHARSET_DETECTION_ENABLED = True
POLL_HINTS_ENABLED = True  # Cache-Control, Expires, Retry-After: stats hints/*, for the scheduler

# Topics are decided on the story, after dedup, inside StorePipeline: a copy joins
# its story whatever its own text says (crawler/dedup/README.md).
ITEM_PIPELINES = {
    "crawler.pipelines.furniture.FurniturePipeline": 200,
    "crawler.pipelines.store.StorePipeline": 800,
}
FURNITURE_PIPELINE_ENABLED = True
FURNITURE_MIN_PAGES = 3  # distinct pages of an outlet that make a line furniture
STORE_PIPELINE_ENABLED = True
STORE_TOPICS_ENABLED = True  # off: every article is kept, untagged
STORE_HELD_DAYS = 7.0  # off-topic pages held for a later copy this long...
STORE_HELD_MAX = 100_000  # ...and at most this many (the newest)
LOG_FORMATTER = "crawler.logformatter.NewsLogFormatter"  # dropped items in one line

EXTENSIONS = {
    "crawler.extensions.progress.ProgressLog": 500,
    "crawler.extensions.seenurls.SeenUrlsExtension": 510,
}
SEEN_URLS_ENABLED = True  # seen URLs and validators kept in the index between runs
SEEN_URLS_BATCH = 100  # seen-URL records written per batch
PROGRESS_LOG_ENABLED = True
PROGRESS_LOG_INTERVAL = 10.0  # seconds between progress lines
LOGSTATS_INTERVAL = 0  # ProgressLog says it better

# Newswatch values: filled from the config by crawler.crawl.settings.
NEWSWATCH_CONFIG = None  # the validated crawler.config.Config of this run
NEWSWATCH_TOPICS: list[str] = []  # topic names to tag with (empty: all)
NEWSWATCH_SOURCES: list[str] = []  # source names to crawl (empty: all)
NEWSWATCH_MIN_TEXT_CHARS = 400
NEWSWATCH_EXTRACTION_PROCESSES = -1  # extraction worker processes; -1: one per core
# The crawl engine: the pipelines open the index at the first item (a 304 poll has none).
NEWSWATCH_LAZY_STORES = False
NEWSWATCH_EXTRACTION_POOL = None  # the crawl engine's shared ExtractionPool (crawler/engine)
NEWSWATCH_ROBOTS_CACHE = None  # the crawl engine's RobotsCache (crawler/middlewares/robots.py)
ROBOTS_CACHE_TTL = 3600.0  # seconds the crawl engine reuses a host's robots.txt

LOG_LEVEL = "INFO"
