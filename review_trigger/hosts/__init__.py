"""What every code host shares, apart from its API: the sticky-note policy
(``_sticky``) and the texts of the note and the job summary (``render``).

A host (``review_trigger.github``; a GitLab merge-request host would be one
more package) lists its notes as ``_sticky.Note`` records, asks
``_sticky.plan`` what to do, and carries the plan out with its own API
calls.
"""
