"""The background worker: Huey (a small, well-kept job library) runs the periodic jobs.

- ``jobs``: what runs every minute (deliver the outbox, send due reminders, the therapists'
  daily agendas at 07:00 their time, expire waitlist offers), each on a fresh unit of work.
- ``runner``: ``sciatica-care worker`` (its own process) and the worker ``serve`` starts in a
  thread beside the web app (``SCIATICA_CARE_EMBEDDED_WORKER``).

The queue is a SQLite file per host (``SCIATICA_CARE_JOB_QUEUE_FILE``); the jobs read and
write only the main database and are idempotent, so several workers (one per host, on SQLite
or PostgreSQL) may run side by side: each email still goes once.
"""
