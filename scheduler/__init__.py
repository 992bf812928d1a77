"""The scheduler service: periodic crawls per source that never overlap and survive restarts.

service    the BlockingScheduler, its listeners, graceful stop
jobstore   the persistent job store and reconciling it with the config
jobs       the job functions: a source's crawl, the control job
control    run requests from `newswatch run-now`, applied by the control job
runner     one crawl as a subprocess under a time limit
crawllog   a crawl in the service's log: stderr at the right level, one summary line
dispatch   queue mode, scheduler side: a crawl job out, its result back
worker     queue mode, worker side: `newswatch worker`
broker     the Redis broker: Dramatiq's, our keys, queue depth, live workers
sourcelock one crawl per source across workers (a Redis lock with an expiry)
orphans    a worker's crawl dies with the worker
adaptive   the interval policy (seen/new stories, failure backoff)
ledger     what a run changes: history, totals, interval
state      per-source state beside the job store
history    run records in the index backend
lock       one service per state directory (pid file)
status     the `newswatch status` view
clock      time, injectable for tests
"""
