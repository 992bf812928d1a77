"""The scheduler service: periodic crawls per source that never overlap and survive restarts.

service    the BlockingScheduler, its listeners, graceful stop
jobstore   the persistent job store and reconciling it with the config
jobs       the job function the store refers to by import path
runner     one crawl as a subprocess under a time limit
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
