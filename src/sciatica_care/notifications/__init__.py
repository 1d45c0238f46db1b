"""Mail at the edge: render emails from templates, keep them in an outbox table, deliver them.

- ``outbox.enqueue`` renders a message and adds it to the caller's unit of work (the service
  commits it with the change that caused it).
- ``outbox.deliver_pending`` sends what is waiting, through SMTP when ``SCIATICA_CARE_SMTP_URL``
  is set, otherwise into files in the data dir (development); call it after commit.

Each email is rendered in its recipient's language (``render.language_of``: the account's
choice, else English). Emails carry no health data: only links and account words.
"""
