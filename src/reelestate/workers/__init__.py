"""The job system: queues (arq on Redis, or in-process), workers, lifecycle, events, recovery.

One module per job the product runs (`render_video`, `generate_clip`, `render_infographic`,
`generate_avatar`), registered by kind in `registry`. This package may use storage; the render
engine (`reelestate.render`) never does. It exports nothing itself, so the render child process
(`render_child`) starts without loading the database and queue clients. The public API:
`service.JobsService` / `service.open_jobs_service`, `events.follow_job`, `worker.serve`,
`inprocess.InProcessWorkerPool`, `arq_worker.ArqJobWorker`.
"""
