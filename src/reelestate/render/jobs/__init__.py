"""Render jobs: queues (arq on Redis, or in-process), workers, lifecycle, events, recovery.

This package may use storage; the render engine's own modules never do. It exports nothing
itself, so the render child process (`render_process`) starts without loading the database and
queue clients. The public API: `service.JobsService` / `service.open_jobs_service`,
`events.follow_job`, `worker.serve`, `inprocess.InProcessWorkerPool`, `arq_worker.ArqJobWorker`.
"""
